package vec

// The row kernels below work on rows×cols matrices stored row by row
// (len(y)/cols rows) and per-column vectors of length cols: the per-channel
// passes of batch normalisation and of a convolution's epilogue over NHWC
// activations. Their AVX2 versions handle cols that are multiples of 8.

func rowsAVX2(cols, n int) bool { return useAVX2 && cols >= 8 && cols%8 == 0 && n >= cols }

// AffineRows sets y[r,j] = x[r,j]·s[j] + b[j] (+ res[r,j] when res is not
// nil) for every row r, then max(·, 0) when relu is set. y may be x; x and
// res hold at least len(y) values, s and b at least cols.
func AffineRows(y, x, s, b, res []float32, cols int, relu bool) {
	n := len(y) / cols * cols
	y, x, s, b = y[:n], x[:n], s[:cols], b[:cols]
	if res != nil {
		res = res[:n]
	}
	if rowsAVX2(cols, n) {
		var rp *float32
		if res != nil {
			rp = &res[0]
		}
		affineRowsAVX2(&y[0], &x[0], &s[0], &b[0], rp, cols, n/cols, relu)
		return
	}
	for r := 0; r < n; r += cols {
		yr, xr := y[r:r+cols], x[r:r+cols]
		for j := range yr {
			v := xr[j]*s[j] + b[j]
			if res != nil {
				v += res[r+j]
			}
			if relu {
				v = relu32(v)
			}
			yr[j] = v
		}
	}
}

// ShiftedSums adds Σ_r (x[r,j]-k[j]) to s1[j] and Σ_r (x[r,j]-k[j])² to
// s2[j]: the sums of a mean and variance, shifted by k (a value near the
// mean) so that the variance does not cancel.
func ShiftedSums(s1, s2, x, k []float32, cols int) {
	n := len(x) / cols * cols
	x, s1, s2, k = x[:n], s1[:cols], s2[:cols], k[:cols]
	if rowsAVX2(cols, n) {
		shiftedSumsAVX2(&s1[0], &s2[0], &x[0], &k[0], cols, n/cols)
		return
	}
	for r := 0; r < n; r += cols {
		for j, v := range x[r : r+cols] {
			d := v - k[j]
			s1[j] += d
			s2[j] += d * d
		}
	}
}

// GradSums adds Σ_r d[r,j] to sd[j] and Σ_r d[r,j]·(x[r,j]-mean[j]) to
// sdx[j] (the sums of a batch-norm backward pass).
func GradSums(sd, sdx, d, x, mean []float32, cols int) {
	n := len(d) / cols * cols
	d, x, sd, sdx, mean = d[:n], x[:n], sd[:cols], sdx[:cols], mean[:cols]
	if rowsAVX2(cols, n) {
		gradSumsAVX2(&sd[0], &sdx[0], &d[0], &x[0], &mean[0], cols, n/cols)
		return
	}
	for r := 0; r < n; r += cols {
		xr := x[r : r+cols]
		for j, v := range d[r : r+cols] {
			sd[j] += v
			sdx[j] += v * (xr[j] - mean[j])
		}
	}
}

// LinearGrad sets dx[r,j] to d[r,j]·p[j] + x[r,j]·q[j] + c[j], plus
// dx[r,j] when add is set (the input gradient of a batch norm, a linear
// function of the output gradient d and the input x per channel).
func LinearGrad(dx, d, x, p, q, c []float32, cols int, add bool) {
	n := len(dx) / cols * cols
	dx, d, x, p, q, c = dx[:n], d[:n], x[:n], p[:cols], q[:cols], c[:cols]
	if rowsAVX2(cols, n) {
		linearGradAVX2(&dx[0], &d[0], &x[0], &p[0], &q[0], &c[0], cols, n/cols, add)
		return
	}
	for r := 0; r < n; r += cols {
		dr, xr, o := d[r:r+cols], x[r:r+cols], dx[r:r+cols]
		for j := range o {
			v := dr[j]*p[j] + xr[j]*q[j] + c[j]
			if add {
				v += o[j]
			}
			o[j] = v
		}
	}
}

func relu32(v float32) float32 { return relu(v) }

// Windows3 writes, for each of the w pixels of an image row (row holds w·c
// values, pixel by pixel), the 3·c values of the pixel before it, itself
// and the pixel after it: dst[x·3c + j] = row[(x-1)·c + j], zero where that
// index falls outside the row (the zero padding of a 3×3 convolution).
func Windows3(dst, row []float32, w, c int) {
	n := w * c
	dst, row = dst[:3*n], row[:n]
	if useAVX2 && c%8 == 0 && c > 0 {
		windows3AVX2(&dst[0], &row[0], w, c)
		return
	}
	for x := 0; x < w; x++ {
		d := dst[x*3*c : (x+1)*3*c]
		for j := range d {
			if i := (x-1)*c + j; i >= 0 && i < n {
				d[j] = row[i]
			} else {
				d[j] = 0
			}
		}
	}
}
