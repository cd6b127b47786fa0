package nn

import (
	"math"
	"sync/atomic"
	"time"

	"argmax/nn/gemm"
	"argmax/nn/internal/vec"
)

// Act is an activation function applied elementwise, on its own or fused
// into Linear and Conv2D.
type Act uint8

const (
	// Identity leaves values unchanged.
	Identity Act = iota
	// ReLU is max(x, 0).
	ReLU
	// GELU is x·Φ(x) with Φ the standard normal CDF (the exact form, not
	// the tanh approximation).
	GELU
	// Tanh is the hyperbolic tangent.
	Tanh
	// Sigmoid is 1/(1+exp(-x)).
	Sigmoid
)

// String names the activation.
func (a Act) String() string {
	switch a {
	case Identity:
		return "identity"
	case ReLU:
		return "relu"
	case GELU:
		return "gelu"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	}
	return "act?"
}

// needsPre reports whether the derivative needs the pre-activation value
// (otherwise it is computed from the output).
func (a Act) needsPre() bool { return a == GELU }

const invSqrt2 = 0.7071067811865476
const invSqrt2Pi = 0.3989422804014327

func geluF(z float64) float64 { return 0.5 * z * (1 + math.Erf(z*invSqrt2)) }

func geluD(z float64) float64 {
	return 0.5*(1+math.Erf(z*invSqrt2)) + z*invSqrt2Pi*math.Exp(-0.5*z*z)
}

func sigmoidF(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// relu returns max(v, 0) without a branch: random signs would make a
// branchy version mispredict half the time.
func relu[T Float](v T) T {
	if is32[T]() {
		u := math.Float32bits(float32(v))
		return T(math.Float32frombits(u &^ uint32(int32(u)>>31)))
	}
	u := math.Float64bits(float64(v))
	return T(math.Float64frombits(u &^ uint64(int64(u)>>63)))
}

// reluMask returns d where y > 0 and 0 elsewhere, for y a ReLU output
// (so y ≥ +0), without a branch.
func reluMask[T Float](d, y T) T {
	if is32[T]() {
		m := uint32(-int32(math.Float32bits(float32(y))) >> 31)
		return T(math.Float32frombits(math.Float32bits(float32(d)) & m))
	}
	m := uint64(-int64(math.Float64bits(float64(y))) >> 63)
	return T(math.Float64frombits(math.Float64bits(float64(d)) & m))
}

// applyAct applies act in place to y; when pre is non-nil it first saves
// the pre-activation values there.
func applyAct[T Float](act Act, y, pre []T) {
	if pre != nil {
		copy(pre, y)
	}
	switch act {
	case ReLU:
		if is32[T]() {
			vec.ReLU(as32(y))
			return
		}
		for i, v := range y {
			y[i] = relu(v)
		}
	case GELU:
		if is32[T]() {
			vec.GELU(as32(y))
			return
		}
		for i, v := range y {
			y[i] = geluT(v)
		}
	case Tanh:
		for i, v := range y {
			y[i] = T(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range y {
			y[i] = T(sigmoidF(float64(v)))
		}
	}
}

// biasAct adds the row vector b (may be nil) to each row of y and applies
// act, in one pass; pre (may be nil) receives the pre-activation values.
func biasAct[T Float](y, b []T, cols int, act Act, pre []T) {
	if b == nil {
		applyAct(act, y, pre)
		return
	}
	b = b[:cols]
	for r := 0; r+cols <= len(y); r += cols {
		row := y[r : r+cols]
		switch act {
		case Identity:
			addTo(row, b)
		case ReLU:
			if is32[T]() {
				vec.BiasReLU(as32(row), as32(b))
				continue
			}
			for j := range row {
				row[j] = relu(row[j] + b[j])
			}
		default:
			addTo(row, b)
			var p []T
			if pre != nil {
				p = pre[r : r+cols]
			}
			applyAct(act, row, p)
		}
	}
}

// actBackward writes dz = dy·act'(z) into dz (which may alias dy), using the
// output y, or the saved pre-activation pre for GELU.
func actBackward[T Float](act Act, dz, dy, y, pre []T) {
	switch act {
	case Identity:
		if len(dz) > 0 && &dz[0] != &dy[0] {
			copy(dz, dy)
		}
	case ReLU:
		if is32[T]() {
			if len(dz) > 0 && &dz[0] != &dy[0] {
				copy(dz, dy)
			}
			vec.ReLUMask(as32(dz), as32(y))
			return
		}
		y = y[:len(dz)]
		dy = dy[:len(dz)]
		for i := range dz {
			dz[i] = reluMask(dy[i], y[i])
		}
	case GELU:
		if is32[T]() {
			vec.GELUGrad(as32(dz), as32(dy), as32(pre))
			return
		}
		for i := range dz {
			dz[i] = dy[i] * geluDT(pre[i])
		}
	case Tanh:
		for i := range dz {
			dz[i] = dy[i] * (1 - y[i]*y[i])
		}
	case Sigmoid:
		for i := range dz {
			dz[i] = dy[i] * y[i] * (1 - y[i])
		}
	}
}

var (
	gemmTiming atomic.Bool
	gemmCalls  atomic.Int64
	gemmFlops  atomic.Int64
	gemmNanos  atomic.Int64
)

// EnableGemmTiming turns on (or off) accounting of the time nn spends in
// matrix products, read back with GemmTiming. It costs two clock reads per
// product and is off by default.
func EnableGemmTiming(on bool) { gemmTiming.Store(on) }

// GemmStats is the accounting of matrix products since the last reset.
type GemmStats struct {
	Calls int64         // number of products
	Flops int64         // 2·m·n·k summed over products
	Time  time.Duration // wall time inside the products
}

// GemmTiming returns the accounting gathered while EnableGemmTiming was on
// and, when reset is true, clears it.
func GemmTiming(reset bool) GemmStats {
	s := GemmStats{Calls: gemmCalls.Load(), Flops: gemmFlops.Load(), Time: time.Duration(gemmNanos.Load())}
	if reset {
		gemmCalls.Store(0)
		gemmFlops.Store(0)
		gemmNanos.Store(0)
	}
	return s
}

// mm computes C = alpha·op(A)·op(B) + beta·C on row-major matrices (see
// gemm.Sgemm). float32 goes to the optimized kernel; float64 (gradient
// checks) to a plain reference loop.
func mm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	var t0 time.Time
	timing := gemmTiming.Load()
	if timing {
		t0 = time.Now()
	}
	if is32[T]() {
		gemm.Sgemm(transA, transB, m, n, k, float32(alpha), as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
	} else {
		refGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
	if timing {
		gemmNanos.Add(int64(time.Since(t0)))
		gemmCalls.Add(1)
		gemmFlops.Add(int64(2 * m * n * k))
	}
}

// refGemm is the reference product used for float64.
func refGemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(crow)
		} else if beta != 1 {
			for j := range crow {
				crow[j] *= beta
			}
		}
		for p := 0; p < k; p++ {
			var av T
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			av *= alpha
			if av == 0 {
				continue
			}
			if transB {
				for j := range crow {
					crow[j] += av * b[j*ldb+p]
				}
			} else {
				brow := b[p*ldb : p*ldb+n]
				for j := range crow {
					crow[j] += av * brow[j]
				}
			}
		}
	}
}

// colSum adds the column sums of the rows×cols matrix x into dst.
func colSum[T Float](dst, x []T, cols int) {
	dst = dst[:cols]
	for r := 0; r+cols <= len(x); r += cols {
		addTo(dst, x[r:r+cols])
	}
}

func axpy[T Float](dst []T, a T, x []T) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += a * v
	}
}

func addTo[T Float](dst, x []T) {
	if is32[T]() {
		vec.Add(as32(dst), as32(x))
		return
	}
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] += v
	}
}

func sqrtf(x float64) float64 { return math.Sqrt(x) }
