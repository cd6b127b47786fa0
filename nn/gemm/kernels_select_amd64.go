//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// registerArch registers the assembly kernels this CPU can run, widest first.
func registerArch() {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		return
	}
	if cpu.X86.HasAVX512F {
		register(&kernel{
			name:      "avx512",
			tile:      family{mr: len(avx512Tile) - 1, nr: 32, micro: avx512Tile[:], single: avx512TileSplit1},
			narrow:    &family{mr: len(avx512Narrow) - 1, nr: 16, micro: avx512Narrow[:], single: avx512NarrowSplit1},
			gemv:      &family{mr: 1, nr: 128, micro: avx512Gemv[:]},
			edge:      &family{mr: len(avx512Edge) - 1, nr: 16, micro: avx512Edge[:], single: avx512EdgeSplit1},
			dot:       &dotKernels,
			seg:       avx512SegKernels,
			direct:    true,
			transpose: transposeAVX,
			copyRows:  copyRowsAVX,
			mc:        144, kc: 256, nc: 4096,
		})
	}
	register(&kernel{
		name:      "avx2",
		tile:      family{mr: len(avx2Tile) - 1, nr: 16, micro: avx2Tile[:], single: avx2TileSplit1},
		gemv:      &family{mr: 1, nr: 64, micro: avx2Gemv[:]},
		edge:      &family{mr: len(avx2Edge) - 1, nr: 16, micro: avx2Edge[:], single: avx2EdgeSplit1},
		dot:       &dotKernels,
		seg:       avx2SegKernels,
		direct:    true,
		transpose: transposeAVX,
		copyRows:  copyRowsAVX,
		mc:        96, kc: 256, nc: 4096,
	})
}

// The segmented families (SgemmSegments): AVX-512 tiles of 6 rows by 64
// columns (24 accumulators, four B vectors per broadcast of A), of up to 14
// rows (a 6×7 board's 42 pixels in three panels) by 32 columns, then 16.
var (
	avx512SegKernels = &segKernels{
		wide:   &segFamily{mr: len(avx512SegWide) - 1, nr: 64, micro: avx512SegWide[:]},
		tile:   segFamily{mr: len(avx512Seg) - 1, nr: 32, micro: avx512Seg[:]},
		narrow: &segFamily{mr: len(avx512SegNarrow) - 1, nr: 16, micro: avx512SegNarrow[:]},
		edge:   segFamily{mr: len(avx512SegEdge) - 1, nr: 16, micro: avx512SegEdge[:]},
	}
	avx2SegKernels = &segKernels{
		tile: segFamily{mr: len(avx2Seg) - 1, nr: 16, micro: avx2Seg[:]},
		edge: segFamily{mr: len(avx2SegEdge) - 1, nr: 16, micro: avx2SegEdge[:]},
	}
)
