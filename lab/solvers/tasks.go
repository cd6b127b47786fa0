package solvers

import (
	"fmt"

	"argmax/lab/kv"
	"argmax/task"
	"argmax/task/latent"
	"argmax/task/sphere"
)

func init() {
	d := sphere.DefaultConfig()
	RegisterTask(TaskKind{Name: "sphere",
		Usage: fmt.Sprintf("sphere[:dim=%d,components=%d,gamma=%g,alpha=%g]  Amos' c-convex soft minimum on the unit sphere (task/sphere)", d.Dim, d.Components, d.Gamma, d.Alpha),
		New: func(a *kv.Args) (task.Task, error) {
			return sphere.New(sphere.Config{Dim: int(a.Int("dim", int64(d.Dim), 2, 1000)), Components: int(a.Int("components", int64(d.Components), 1, 1000)),
				Gamma: a.Float("gamma", d.Gamma, 1e-6, 1e6), Alpha: a.Float("alpha", d.Alpha, 0, 1e6)})
		}})
	RegisterTask(TaskKind{Name: "gaussian",
		Usage: "gaussian[:d=8,k=4,sigma=0.5,seed=1,family=diag|full]  the linear-Gaussian latent model, −ELBO of a Gaussian q (task/latent)",
		New: func(a *kv.Args) (task.Task, error) {
			fam := latent.Diagonal
			switch f := a.String("family", "diag"); f {
			case "diag":
			case "full":
				fam = latent.FullCovariance
			default:
				a.Fail("family %q: want diag or full", f)
			}
			return latent.NewGaussian(latent.GaussianConfig{D: int(a.Int("d", 8, 1, 1e4)), K: int(a.Int("k", 4, 1, 1e3)),
				Sigma: a.Float("sigma", 0.5, 1e-6, 1e6), Seed: a.Uint("seed", 1), Family: fam})
		}})
	RegisterTask(TaskKind{Name: "mixture",
		Usage: "mixture[:d=2,k=8,sigma=0.7,seed=1]  the Gaussian mixture, −ELBO of a categorical q over its components (task/latent)",
		New: func(a *kv.Args) (task.Task, error) {
			return latent.NewMixture(latent.MixtureConfig{D: int(a.Int("d", 2, 1, 1e4)), K: int(a.Int("k", 8, 1, 1e4)),
				Sigma: a.Float("sigma", 0.7, 1e-6, 1e6), Seed: a.Uint("seed", 1)})
		}})
}
