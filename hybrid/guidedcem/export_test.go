package guidedcem

func PPOCriticForTest(a *PPO) Value { return rawCritic{a.policy} }
