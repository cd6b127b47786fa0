package gemm

//go:generate go run gen_asm.go

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// microFn computes one register tile of C (see the contract in gen_asm.go):
//
//	C(i,j) = alpha·Σ_p A(i,p)·B(p,j) + beta·C(i,j),  i < rows, j < cols,
//	A(i,p) = a[i*rs+p*ks],  B(p,j) = b[p*ldb+j],  C(i,j) = c[i*ldc+j],
//
// where rows is fixed by the function and B is read for all j < NR of its
// family. C is not read when beta == 0. k ≥ 1.
type microFn func(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int)

// segFn is a segmented micro-kernel (see gen_asm.go): microFn over segs
// segments of k steps, the A row pointers moving on by jump elements after
// each segment, B running on row after row.
type segFn func(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, cols int, segs, jump int)

// segFamily is a set of segmented micro-kernels of tile width nr, indexed
// by the number of rows 1..mr.
type segFamily struct {
	mr, nr int
	micro  []segFn
}

// segKernels are the segmented families of a kernel set (SgemmSegments):
// an optional wide tile for whole strips of its width (fewer loads of A per
// multiply-add), the main tile, an optional narrower one, and one loading B
// with lane masks for the last partial strip.
type segKernels struct {
	wide   *segFamily
	tile   segFamily
	narrow *segFamily
	edge   segFamily
}

// dotFn computes a small block of C as dot products of rows of A with rows of
// B, both contiguous along k: C(i,j) = alpha·Σ_p a[i*lda+p]·b[j*ldb+p] + beta·C(i,j).
type dotFn func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// family is a set of micro-kernels of the same tile width nr, indexed by the
// number of rows 1..mr.
type family struct {
	mr, nr int
	micro  []microFn
	// single, when set, replaces micro[1] for products with m == 1: it spreads
	// k over several accumulator sets, as one row has too few accumulators
	// to hide the FMA latency. It rounds differently from micro[1], so it is
	// used only when the whole product has one row (see parallel).
	single microFn
}

// kernel is one implementation of the engine: its micro-kernels and the
// cache-blocking sizes that suit them.
type kernel struct {
	name   string
	tile   family  // main register tile
	narrow *family // tile for products with n ≤ narrow.nr, or nil
	gemv   *family // one-row tile for m == 1 with an untransposed B, or nil
	edge   *family // tile loading B with lane masks, for the last strip of the direct path
	dot    *[3][9]dotFn
	seg    *segKernels // segmented kernels, or nil (SgemmSegments then loops)
	// transpose and copyRows pack operands.
	transpose transposeFn
	copyRows  copyRowsFn
	// direct reports whether the micro-kernels accept unpacked operands
	// (arbitrary rs, ks and ldb); the generic Go kernel only reads packed panels.
	direct     bool
	mc, kc, nc int // cache blocks: A block mc×kc (L2), B block kc×nc (L3)
}

var (
	kernels []*kernel              // available on this CPU, best first
	current atomic.Pointer[kernel] // in use
	byName  = map[string]*kernel{} // available kernels by name
)

// register adds an available kernel; the first registered is the default.
func register(k *kernel) {
	kernels = append(kernels, k)
	byName[k.name] = k
}

func init() {
	registerArch() // amd64: avx512, avx2 when the CPU has them
	register(genericKernel())
	current.Store(kernels[0])
	if v := strings.TrimSpace(os.Getenv("ARGMAX_GEMM")); v != "" {
		if err := SetKernel(v); err != nil {
			fmt.Fprintf(os.Stderr, "gemm: ARGMAX_GEMM: %v; using %s\n", err, kernels[0].name)
		}
	}
}

// Kernel returns the name of the micro-kernel set in use: "avx512", "avx2" or
// "generic" (portable Go).
func Kernel() string { return current.Load().name }

// Kernels returns the names of the kernel sets this CPU can run, fastest
// first. The first is the default.
func Kernels() []string {
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
	}
	return names
}

// SetKernel selects the kernel set by name ("avx512", "avx2" or "generic"),
// or restores the default for this CPU when name is "" or "auto". It returns
// an error naming the choices when the name is unknown or this CPU lacks the
// instructions. The environment variable ARGMAX_GEMM selects the kernel the
// same way at start-up. SetKernel is safe to call concurrently with Sgemm;
// calls already running finish with the kernel they started with.
func SetKernel(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == "auto" {
		current.Store(kernels[0])
		return nil
	}
	k, ok := byName[name]
	if !ok {
		return fmt.Errorf("kernel %q is not available on this CPU (available: %s)", name, strings.Join(Kernels(), ", "))
	}
	current.Store(k)
	return nil
}
