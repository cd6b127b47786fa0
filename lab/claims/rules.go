package claims

import (
	"fmt"
	"math"

	"argmax/lab"
)

// The verdict rules of the five claims, stated before the data. Each is a
// function of the claim's deciding figures (values with 95% intervals over
// seeds, or bounds), so it can be tested on figures made to make it hold,
// fail and come out inconclusive, and each has its text, shown in the
// report beside the verdict. The thresholds are part of the rule: they are
// fixed here, not fitted to the data.

// Thresholds of the rules.
const (
	// cheaperFactor: the amortized answer must be at least this many
	// times cheaper per decision than the direct optimizer at matched
	// quality for the runtime-cost claim to hold.
	cheaperFactor = 2.0
	// doublingGain: the smallest gain in optimal-move share per doubling
	// of compute that counts as "more compute buys quality".
	doublingGain = 0.01
	// dataFactor: the amortized learner must need at least this many
	// times the simulator calls that search spends on one decision to
	// reach search's quality for the data-efficiency claim to hold.
	dataFactor = 10.0
)

const runtimeCostRule = "Let R be the direct optimizer's time per decision at the quality of the best amortized answer (interpolated on the direct frontier, in log time) divided by the amortized answer's time per decision (medians, interval over seeds). " +
	"Holds if R's lower bound is at least 2 (the amortized answer is at least twice as cheap at matched quality; if no direct budget reaches that quality, R is a lower bound from the largest budget); " +
	"does not hold if R's upper bound is at most 1 (search reaches the same quality as cheaply or more cheaply); otherwise inconclusive. The verdict rests on timings (†)."

// runtimeCostVerdict decides the runtime-cost claim from R.
func runtimeCostVerdict(r lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("R = %s", r.Text())
	switch {
	case math.IsNaN(r.Value):
		return Inconclusive, "R could not be measured: " + why
	case r.Lo >= cheaperFactor:
		return Holds, why + fmt.Sprintf(": at matched quality the amortized answer is at least %g× cheaper", cheaperFactor)
	case r.Hi <= 1 && r.Bound != ">=":
		return DoesNotHold, why + ": search reaches the amortized answer's quality at no more cost per decision"
	}
	return Inconclusive, why + fmt.Sprintf(": the interval straddles the thresholds 1 and %g", cheaperFactor)
}

const scalingRule = "Gains are fitted slopes of the optimal-move share on the deep positions against log2 of compute over the upper half of each range (a per-seed least-squares slope, interval over seeds): test-time simulations for the direct optimizer, training compute (labels × steps × width) for the amortized learner. " +
	"Holds if both gains per doubling have lower bounds of at least 0.01 (one doubling buys at least one point of optimal moves at the top of the range); " +
	"does not hold if either gain's upper bound is below 0.01 (a doubling of that compute no longer buys a point); otherwise inconclusive."

// scalingVerdict decides the scaling claim from the gains per doubling of
// test-time compute (direct) and of training compute (amortized).
func scalingVerdict(direct, amortized lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("gain per doubling: direct %s, amortized %s", direct.Text(), amortized.Text())
	switch {
	case math.IsNaN(direct.Value) || math.IsNaN(amortized.Value):
		return Inconclusive, why + " (a half is not measured)"
	case direct.Hi < doublingGain || amortized.Hi < doublingGain:
		return DoesNotHold, why + ": one of them has stopped paying"
	case direct.Lo >= doublingGain && amortized.Lo >= doublingGain:
		return Holds, why
	}
	return Inconclusive, why
}

const convergenceRule = "Direct: the slope of log2(error) against log2(simulations) on the deep opening and middle-game positions (interval over seeds) must be negative: more search, less error. " +
	"Amortized: on held-out positions where a noisy demonstrator's move loses the value, F = share of the demonstrator-trained net's moves that copy the demonstrator minus the share that keep the value; " +
	"G = share of value-keeping moves of a net trained on search results (expert iteration) minus that of the demonstrator-trained net, on the same positions. " +
	"Holds if the search slope's upper bound is below 0, F's lower bound above 0 (the learner converges to its data, not to the argmax) and G's lower bound above 0 (search data moves it toward the argmax); " +
	"does not hold if the search slope's lower bound is at least 0 or F's upper bound is below 0; otherwise inconclusive."

// convergenceVerdict decides the convergence claim.
func convergenceVerdict(searchSlope, follow, exit lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("search error slope %s; F = %s; G = %s", searchSlope.Text(), follow.Text(), exit.Text())
	switch {
	case math.IsNaN(searchSlope.Value) || math.IsNaN(follow.Value) || math.IsNaN(exit.Value):
		return Inconclusive, why + " (not all measured)"
	case searchSlope.Lo >= 0 || follow.Hi < 0:
		return DoesNotHold, why
	case searchSlope.Hi < 0 && follow.Lo > 0 && exit.Lo > 0:
		return Holds, why
	}
	return Inconclusive, why
}

const problemSolvingRule = "Positions are binned by difficulty (the exact solver's node count, quartiles). Slopes against the bin index (interval over seeds): the direct optimizer's log2(simulations per decision) under an adaptive stopping rule, and the amortized net's error (1 − optimal share) at its fixed cost of one forward pass. " +
	"Holds if both slopes' lower bounds are above 0 (search spends more on harder positions; the net errs more on them); " +
	"does not hold if either slope's upper bound is at most 0; otherwise inconclusive."

// problemSolvingVerdict decides the problem-solving claim.
func problemSolvingVerdict(directCompute, amortizedError lab.Figure) (Verdict, string) {
	why := fmt.Sprintf("slope per difficulty bin: direct log2(simulations) %s, amortized error %s", directCompute.Text(), amortizedError.Text())
	switch {
	case math.IsNaN(directCompute.Value) || math.IsNaN(amortizedError.Value):
		return Inconclusive, why + " (not all measured)"
	case directCompute.Hi <= 0 || amortizedError.Hi <= 0:
		return DoesNotHold, why
	case directCompute.Lo > 0 && amortizedError.Lo > 0:
		return Holds, why
	}
	return Inconclusive, why
}

const dataEfficiencyRule = "One currency, simulator calls (moves simulated on the game model, counted): for each search budget, D = the simulator calls spent labelling the amortized learner's training data when it first matches search's optimal-move share (interpolated in log calls; a lower bound when it never does within the data) divided by the calls search spends on one decision. " +
	"Holds if every budget's D has a lower bound of at least 10 (the learner needs at least ten decisions' worth of search to be as good); " +
	"does not hold if some budget's D has an upper bound below 10; otherwise inconclusive."

// dataEfficiencyVerdict decides the data-efficiency claim from D at each
// search budget.
func dataEfficiencyVerdict(ds []lab.Figure) (Verdict, string) {
	if len(ds) == 0 {
		return Inconclusive, "no search budget measured"
	}
	holds := true
	why := "D ="
	for i, d := range ds {
		if i > 0 {
			why += ";"
		}
		why += fmt.Sprintf(" %s: %s", d.Decider, d.Text())
		if math.IsNaN(d.Value) {
			holds = false
			continue
		}
		if d.Hi < dataFactor && d.Bound != ">=" {
			return DoesNotHold, why + fmt.Sprintf(" … below %g× at %s", dataFactor, d.Decider)
		}
		holds = holds && d.Lo >= dataFactor
	}
	if holds {
		return Holds, why
	}
	return Inconclusive, why
}
