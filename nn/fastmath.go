package nn

import (
	"math"

	"argmax/nn/internal/vec"
)

// expT, geluT and geluDT pick the fast float32 functions of package vec
// (errors of a few 1e-7) or the exact float64 ones by element type.
func expT[T Float](x T) T {
	if is32[T]() {
		return T(vec.Exp32(float32(x)))
	}
	return T(math.Exp(float64(x)))
}

func geluT[T Float](x T) T {
	if is32[T]() {
		return T(vec.GELU32(float32(x)))
	}
	return T(geluF(float64(x)))
}

func geluDT[T Float](x T) T {
	if is32[T]() {
		return T(vec.GELUGrad32(float32(x)))
	}
	return T(geluD(float64(x)))
}

// expRow sets x[i] = e^x[i] for a row of softmax arguments.
func expRow[T Float](x []T) {
	if is32[T]() {
		vec.Exp(as32(x))
		return
	}
	for i, v := range x {
		x[i] = T(math.Exp(float64(v)))
	}
}
