package control

// reseedSalt keeps the streams Reseed starts apart from those of Reset.
const reseedSalt = 0x452821e638d01377

// reseed restarts the state stream from seed (see env.Reseeder).
func (s *stream) reseed(seed uint64) { s.src.Seed(seed, reseedSalt) }

// Reseed restarts the stream of the noise of future steps from seed and
// leaves the state and the episode's hidden parameters alone (env.Reseeder),
// so that a planner's clones face the noise as a distribution.
func (e *CartPole) Reseed(seed uint64) { e.rng.reseed(seed) }

// Reseed restarts the stream of the noise of future steps (env.Reseeder).
func (e *Pendulum) Reseed(seed uint64) { e.rng.reseed(seed) }

// Reseed restarts the stream of the noise of future steps (env.Reseeder).
func (e *MountainCar) Reseed(seed uint64) { e.rng.reseed(seed) }

// Reseed restarts the stream of the noise of future steps (env.Reseeder).
func (e *Acrobot) Reseed(seed uint64) { e.rng.reseed(seed) }

// Reseed restarts the stream of the noise of future steps (env.Reseeder).
func (e *PointMass) Reseed(seed uint64) { e.rng.reseed(seed) }
