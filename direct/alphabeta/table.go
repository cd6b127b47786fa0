package alphabeta

// table is the transposition table: a fixed array of 64-bit entries,
// allocated once and never during search. The exact 49-bit key of a
// position (current+mask) goes through a bijection h of [0, 2^49)
// (multiplication by an odd constant modulo 2^49); an entry holds h whole,
// so a hit is exact, never a collision, and 15 bits of data: a lower and an
// upper bound of the score (6 bits each, offset by scoreBias; a zero lower
// field marks an empty entry) and the size class of the position's subtree
// (3 bits, from the number of empty cells). Keeping both bounds matters for
// the null-window search, which visits the same positions with different
// windows.
//
// Entries go by pairs (buckets of 16 bytes, in one cache line): the first
// of a pair keeps the position with the larger subtree, the second takes
// whatever comes, so the work of big searches survives the flood of small
// ones.
//
// The bucket is given by the high bits of h, and how many bits is chosen
// per search (setBits): a small search uses a small, cache-resident prefix
// of the table, a large one all of it. Entries stay valid whatever the size
// in use, since each holds its full key.
type table struct {
	e     []uint64
	shift uint // keyBits - bucket bits in use
	used  int  // entries used since the last clear (a prefix of e)
}

const (
	maxTableBits = 24 // log2 of the largest number of entries
	keyBits      = 49
	dataBits     = 64 - keyBits
	boundBits    = 6
	boundMask    = 1<<boundBits - 1
	scoreBias    = 22 // scores are in [-21, 21]
	hashMul      = 0x9e3779b97f4a7c15&(1<<keyBits-1) | 1
)

// newTable returns an empty table of 2^b entries.
func newTable(b int) *table {
	t := &table{}
	t.setBits(b)
	return t
}

// setBits makes the table use its first 2^b entries (10 ≤ b ≤
// maxTableBits), growing it if it is smaller.
func (t *table) setBits(b int) {
	b = min(max(b, 10), maxTableBits)
	if len(t.e) < 1<<b {
		t.e = make([]uint64, 1<<b)
		adviseHuge(t.e)
		t.used = 0
	}
	t.shift = uint(keyBits - (b - 1))
	t.used = max(t.used, 1<<b)
}

// hash returns the bijective hash of key and the index of its bucket's
// first entry.
func (t *table) hash(key uint64) (h, i uint64) {
	h = (key * hashMul) & (1<<keyBits - 1)
	return h, (h >> t.shift << 1) & uint64(len(t.e)-2)
}

// get returns the data stored for key, 0 if none.
func (t *table) get(key uint64) uint64 {
	h, i := t.hash(key)
	b := (*[2]uint64)(t.e[i : i+2])
	if b[0]>>dataBits == h {
		return b[0] & (1<<dataBits - 1)
	}
	if b[1]>>dataBits == h {
		return b[1] & (1<<dataBits - 1)
	}
	return 0
}

// put stores the bounds lo ≤ score ≤ hi for key, a position with the given
// number of plies.
func (t *table) put(key uint64, lo, hi, moves int) {
	h, i := t.hash(key)
	b := (*[2]uint64)(t.e[i : i+2])
	size := uint64(cells-moves) / 6
	e := h<<dataBits | size<<(2*boundBits) | uint64(hi+scoreBias)<<boundBits | uint64(lo+scoreBias)
	switch {
	case b[0]>>dataBits == h:
		b[0] = e
	case b[1]>>dataBits == h:
		if size >= b[0]>>(2*boundBits)&7 {
			b[0], b[1] = e, b[0]
		} else {
			b[1] = e
		}
	case size >= b[0]>>(2*boundBits)&7:
		b[0], b[1] = e, b[0]
	default:
		b[1] = e
	}
}

// clear empties the table.
func (t *table) clear() {
	clear(t.e[:t.used])
	t.used = 0
}
