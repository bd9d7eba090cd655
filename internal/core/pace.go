package core

// Pace is the learned pace of a vendor limit nobody published (Woofed,
// Qwoty): the state of "start open and adapt" (DESIGN.md, Rate limits),
// kept as plain numbers so that the in-process limiter and package
// redislimit (which keeps the same fields in a Redis hash and runs the same
// steps in Lua, its scripts.go) learn alike; redislimit's
// TestPaceMatchesLua drives both with the same answers. Times are
// microseconds on the caller's clock.
//
// What it is built around: every refusal costs the whole fleet the vendor's
// Retry-After (whole seconds, usually 1 — about 5 % of a 20 s run at the
// limit), so the pace measures the limit at each refusal and then stays
// just under it for long stretches, rather than probing every few seconds.
//
//   - Open until the vendor refuses for rate. At the first refusal the pace
//     is the successes of the last one to two seconds (at least 1/s); the
//     successes of that first burst, those answered during the pause
//     included, are the vendor's burst B. A slow start follows: each
//     success adds PaceSlowStep requests/s (the pace grows about e⁸× a
//     second), never below the success rate seen.
//   - Every later refusal (one per pause: answers to requests sent before it
//     say nothing new) measures the limit R. A token bucket full at a
//     moment and empty at the refusal took n ≤ B + R·t in the t seconds
//     between, so each mark (time, successes) taken during the period gives
//     a lower bound (n − B + 1)/t (the +1 is the refused request); the
//     largest, × PaceMarginSlow after the slow start (a few dozen answers)
//     or PaceMargin later (many), is the new limit Max, never above the
//     pace nor below PaceCutMin × it. B is the first burst less what the
//     bucket refilled while it lasted (a fleet's first burst is spread out).
//     Nor is it below the successes per second since the last refusal, its
//     pause included (× the same margin): a rate the vendor has sustained,
//     whatever its kind of limit — the bucket bound sees a fixed window as
//     a burst and no rate, and alone would cut the pace at every window.
//   - Between refusals the pace follows a cubic, as TCP CUBIC: from
//     PaceBeta × Max it rises steeply, flattens at Max K seconds of sending
//     later, then probes above it, slowly at first and faster later, so that
//     a raised limit is found. K is 10 × the length of the period measured,
//     within [PaceKMin, PaceKMax]: a limit measured over a long period is
//     trusted longer; one the slow start measured by the bucket bound holds
//     at least PaceKMeasured, so that its first probe — a paused second —
//     does not come within seconds. The cubic's clock advances with
//     successes only (1/pace each), so a client that sends less than its
//     pace does not drift up.
type Pace struct {
	Rate     float64 // requests per second; 0 while open
	Slow     bool    // slow start: between the first refusal and the second
	Max      float64 // the limit measured at the last refusal
	X        float64 // seconds of sending since the last refusal
	K        float64 // seconds of sending from a refusal back to Max
	Start    int64   // start of the current period: the end of the last pause
	N        float64 // successes since Start
	LastCut  int64   // the last refusal that changed the pace
	CutN     float64 // successes since LastCut, those during its pause included
	WinStart int64   // start of the current one-second success window
	WinCur   float64 // successes in the current window
	WinPrev  float64 // successes in the previous window
	Burst    float64 // successes the vendor took at once before its first refusal
	First    int64   // the first success in the windows (WinCur+WinPrev)
	Span     float64 // seconds from First to the first refusal
	// Marks are (time, N) taken every PaceMarkEvery during a period, the
	// last PaceMarks of them: the windows over which a refusal measures
	// the limit.
	Marks [][2]float64
}

// The constants of Pace; redislimit's Lua has the same.
const (
	PaceSlowStep   = 8.0     // requests/s added per success during slow start
	PaceBeta       = 0.97    // the pace after a refusal, × the measured limit
	PaceCutMin     = 0.75    // a refusal cuts the limit to at least this × the pace
	PaceKMin       = 3.0     // seconds of sending from a refusal back to the measured limit: at least,
	PaceKMeasured  = 10.0    // at least, after a slow start whose limit the bucket bound measured,
	PaceKMax       = 30.0    // at most,
	PaceKPerSecond = 10.0    // and per second of the period measured
	PaceMarks      = 20      // marks kept: the last ones of a period
	PaceMargin     = 0.98    // the measured limit, × the lower bound on it
	PaceMarginSlow = 0.96    // the same at the end of the slow start: fewer answers, less sure
	PaceMarkEvery  = 500_000 // µs between marks (1/20 of it during the slow start)
)

const second = 1_000_000

func (p *Pace) roll(now int64) {
	if p.WinStart == 0 {
		p.WinStart = now
	}
	switch since := now - p.WinStart; {
	case since >= 2*second:
		p.WinStart, p.WinPrev, p.WinCur = now, 0, 0
	case since >= second:
		p.WinStart, p.WinPrev, p.WinCur = p.WinStart+second, p.WinCur, 0
	}
}

// observed is the success rate of the last one to two seconds.
func (p *Pace) observed(now int64) float64 {
	return (p.WinCur + p.WinPrev) / (1 + float64(now-p.WinStart)/second)
}

// Succeeded records n successes at now.
func (p *Pace) Succeeded(now int64, n float64) {
	p.roll(now)
	if p.WinCur+p.WinPrev == 0 {
		p.First = now
	}
	p.WinCur += n
	p.CutN += n
	if p.Rate == 0 {
		return
	}
	if now < p.Start {
		// Answers to requests sent before the last refusal: they say
		// nothing of the pace, but those of the first burst are its size.
		if p.Slow {
			p.Burst += n
			p.Rate = max(p.Rate, p.Burst)
		}
		return
	}
	every := int64(PaceMarkEvery)
	if p.Slow {
		every /= 20
	}
	if len(p.Marks) == 0 || now-int64(p.Marks[len(p.Marks)-1][0]) >= every {
		if len(p.Marks) == PaceMarks {
			p.Marks = append(p.Marks[:0], p.Marks[1:]...)
		}
		p.Marks = append(p.Marks, [2]float64{float64(now), p.N})
	}
	p.N += n
	if p.Slow {
		p.Rate = max(p.Rate+PaceSlowStep*n, p.observed(now))
		return
	}
	p.X += n / p.Rate
	d := 1 - p.X/p.K
	p.Rate = max(0.1, p.Max*(1-(1-PaceBeta)*d*d*d))
}

// estimate is the largest (n − b + 1)/(now − mark) over the marks of the
// period (the +1 is the refused request).
func (p *Pace) estimate(b float64) float64 {
	est := 0.0
	now := float64(p.LastCut)
	for _, m := range p.Marks {
		if t := (now - m[0]) / second; t >= 0.1 {
			est = max(est, (p.N-m[1]-b+1)/t)
		}
	}
	return est
}

// Refused records a refusal for rate at now, after which the vendor asked
// for a pause (µs; 0 for none). It reports whether the pace changed.
func (p *Pace) Refused(now, pause int64) bool {
	p.roll(now)
	if p.Rate > 0 && (now < p.Start || now-p.LastCut < second) {
		return false // an answer to a request sent before the last refusal
	}
	// The successes per second since the last refusal, its pause
	// included: a rate the vendor has sustained, whatever kind of limit it
	// keeps. A fixed window (L requests per window, then a refusal until
	// the next; Rails' rack-attack by default) looks to the bucket bound
	// below like a burst of L and no rate at all, and would cut the pace
	// at every window; this floor holds it at about L per window.
	sustained := 0.0
	if p.LastCut > 0 && now > p.LastCut {
		sustained = p.CutN / (float64(now-p.LastCut) / second)
	}
	p.LastCut, p.CutN = now, 0
	switch {
	case p.Rate == 0:
		p.Rate, p.Slow = max(1, p.observed(now)), true
		p.Max, p.Burst = p.Rate, p.WinCur+p.WinPrev
		p.Span = min(float64(now-p.First)/second, 1)
	default:
		// A token bucket of rate R and burst B (full at the mark, empty
		// now) took n ≤ B + R·(now − mark) since each mark: the largest
		// (n − B)/(now − mark) is the best lower bound on R. B is the first
		// burst, less what the bucket refilled while it lasted (a fleet's
		// first burst is spread out).
		est := p.estimate(p.Burst)
		est = p.estimate(max(0, p.Burst-est*p.Span))
		switch {
		case !p.Slow:
			p.Max = min(p.Rate, max(est*PaceMargin, PaceCutMin*p.Rate, sustained*PaceMargin))
		case est > 0:
			p.Max = min(p.Rate, max(est, sustained)*PaceMarginSlow)
		default: // no mark old enough to measure by
			p.Max = min(p.Rate, max(p.Rate/2, sustained*PaceMarginSlow))
		}
		// The longer the period measured, the longer its estimate holds.
		// The slow start's period is short, but a limit the bucket bound
		// measured then is a measure, taken under a margin: it holds at
		// least PaceKMeasured, so that the first probe above it does not
		// cost a paused second within seconds. One only the floor gave is
		// a lower bound, and is probed soon.
		kMin := PaceKMin
		if p.Slow && est > 0 && est >= sustained {
			kMin = PaceKMeasured
		}
		p.Slow, p.X = false, 0
		p.K = min(max(PaceKPerSecond*float64(now-p.Start)/second, kMin), PaceKMax)
		p.Rate = max(0.1, PaceBeta*p.Max)
	}
	p.Start, p.N, p.Marks = now+max(pause, 0), 0, p.Marks[:0]
	return true
}
