// Package supervised is an amortized optimizer.
package supervised
