//go:build !amd64 || purego

package gemm

// registerArch registers nothing: only the portable Go kernel exists here.
func registerArch() {}
