package redislimit

import "github.com/redis/go-redis/v9"

// The Lua scripts keep each step on one round trip: Acquire runs
// acquireScript once on its fast path (an uncontended key), whatever the
// Limit. Times are microseconds from Redis's own clock (TIME), so the
// processes of a fleet need not agree on theirs; tests pass a clock of
// their own in ARGV[1] instead.
//
// The keys of one limiter share a hash tag ({…}), so that a script may touch
// them all in Redis Cluster:
//
//	KEYS[1] t  GCRA theoretical arrival time of the next request (string)
//	KEYS[2] p  end of the vendor's pause (string)
//	KEYS[3] a  learned pace of an unknown limit (hash; see pace below)
//	KEYS[4] s  in-flight leases (sorted set: lease id → expiry)
//
// Every key carries a TTL: t until its arrival time has passed, p until the
// pause ends, s twice the lease after its last change, a the idle TTL.

// paceLua is the learned pace of an unknown limit, fleet-wide: the steps
// of vendorkit's in-process limiter (internal/core's Pace, whose doc says
// why) on state kept in the hash KEYS[3], one field per Pace field: r Rate,
// s Slow, mx Max, x X, k K, st Start, n N, lc LastCut, cn CutN, ws/wc/wp the success
// windows, b Burst, f First, sp Span, m the marks ("time:count," each) and
// ml the last mark's time. TestPaceMatchesLua
// drives both with the same answers; keep them in step.
const paceLua = `
local SLOW, BETA, CUT_MIN, MARGIN, MARGIN_SLOW = 8, 0.97, 0.75, 0.98, 0.96
local K_MIN, K_MAX, K_PER_S, K_MEASURED = 3, 30, 10, 10
local MARKS, MARK_EVERY = 20, 500000
local function pace_load(now)
  local v = redis.call('HMGET', KEYS[3], 'r', 's', 'mx', 'x', 'k', 'st', 'n', 'lc', 'ws', 'wc', 'wp', 'b', 'm', 'f', 'sp', 'ml', 'cn')
  return {r = tonumber(v[1]) or 0, s = tonumber(v[2]) or 0, mx = tonumber(v[3]) or 0, x = tonumber(v[4]) or 0,
          k = tonumber(v[5]) or K_MIN, st = tonumber(v[6]) or 0, n = tonumber(v[7]) or 0, lc = tonumber(v[8]) or 0,
          ws = tonumber(v[9]) or 0, wc = tonumber(v[10]) or 0, wp = tonumber(v[11]) or 0, b = tonumber(v[12]) or 0,
          mraw = v[13] or '', f = tonumber(v[14]) or 0, sp = tonumber(v[15]) or 0, ml = tonumber(v[16]) or 0,
          cn = tonumber(v[17]) or 0}
end
-- The marks are parsed only when a step needs them (a new mark, a refusal)
-- and written only when they changed: most successes touch neither.
local function pace_marks(p)
  if not p.m then
    p.m = {}
    for t, c in string.gmatch(p.mraw, '([%d.]+):([%d.]+),') do
      p.m[#p.m + 1] = {tonumber(t), tonumber(c)}
    end
  end
  return p.m
end
local function pace_save(p, ttl)
  redis.call('HSET', KEYS[3], 'r', string.format('%.17g', p.r), 's', p.s, 'mx', string.format('%.17g', p.mx),
             'x', string.format('%.17g', p.x), 'k', string.format('%.17g', p.k), 'st', string.format('%.0f', p.st),
             'n', string.format('%.17g', p.n), 'lc', string.format('%.0f', p.lc), 'ws', string.format('%.0f', p.ws),
             'wc', string.format('%.17g', p.wc), 'wp', string.format('%.17g', p.wp), 'b', string.format('%.17g', p.b),
             'f', string.format('%.0f', p.f), 'sp', string.format('%.17g', p.sp), 'cn', string.format('%.17g', p.cn))
  if p.mdirty then
    local m = {}
    for i, mk in ipairs(p.m) do m[i] = string.format('%.0f:%.17g,', mk[1], mk[2]) end
    redis.call('HSET', KEYS[3], 'm', table.concat(m), 'ml', string.format('%.0f', p.ml))
  end
  redis.call('PEXPIRE', KEYS[3], ttl)
end
local function pace_roll(p, now)
  if p.ws == 0 then p.ws = now end
  local since = now - p.ws
  if since >= 2000000 then p.ws, p.wp, p.wc = now, 0, 0
  elseif since >= 1000000 then p.ws, p.wp, p.wc = p.ws + 1000000, p.wc, 0 end
end
local function pace_observed(p, now)
  return (p.wc + p.wp) / (1 + (now - p.ws) / 1000000)
end
local function pace_succeed(p, now, n)
  pace_roll(p, now)
  if p.wc + p.wp == 0 then p.f = now end
  p.wc = p.wc + n
  p.cn = p.cn + n
  if p.r == 0 then return end
  if now < p.st then
    if p.s == 1 then
      p.b = p.b + n
      p.r = math.max(p.r, p.b)
    end
    return
  end
  local every = MARK_EVERY
  if p.s == 1 then every = every / 20 end
  if p.ml == 0 or now - p.ml >= every then
    local m = pace_marks(p)
    if #m == MARKS then table.remove(m, 1) end
    m[#m + 1] = {now, p.n}
    p.ml, p.mdirty = now, true
  end
  p.n = p.n + n
  if p.s == 1 then
    p.r = math.max(p.r + SLOW * n, pace_observed(p, now))
    return
  end
  p.x = p.x + n / p.r
  local d = 1 - p.x / p.k
  p.r = math.max(0.1, p.mx * (1 - (1 - BETA) * d * d * d))
end
local function pace_estimate(p, now, b)
  local est = 0
  for _, mk in ipairs(pace_marks(p)) do
    local t = (now - mk[1]) / 1000000
    if t >= 0.1 then est = math.max(est, (p.n - mk[2] - b + 1) / t) end
  end
  return est
end
local function pace_limited(p, now, pause)
  pace_roll(p, now)
  if p.r > 0 and (now < p.st or now - p.lc < 1000000) then return end
  local sustained = 0
  if p.lc > 0 and now > p.lc then sustained = p.cn / ((now - p.lc) / 1000000) end
  p.lc, p.cn = now, 0
  if p.r == 0 then
    p.r, p.s = math.max(1, pace_observed(p, now)), 1
    p.mx, p.b = p.r, p.wc + p.wp
    p.sp = math.min((now - p.f) / 1000000, 1)
  else
    local est = pace_estimate(p, now, p.b)
    est = pace_estimate(p, now, math.max(0, p.b - est * p.sp))
    if p.s == 0 then
      p.mx = math.min(p.r, math.max(est * MARGIN, CUT_MIN * p.r, sustained * MARGIN))
    elseif est > 0 then
      p.mx = math.min(p.r, math.max(est, sustained) * MARGIN_SLOW)
    else
      p.mx = math.min(p.r, math.max(p.r / 2, sustained * MARGIN_SLOW))
    end
    local kmin = K_MIN
    if p.s == 1 and est > 0 and est >= sustained then kmin = K_MEASURED end
    p.s, p.x = 0, 0
    p.k = math.min(math.max(K_PER_S * (now - p.st) / 1000000, kmin), K_MAX)
    p.r = math.max(0.1, BETA * p.mx)
  end
  p.st, p.n, p.m, p.ml, p.mdirty = now + math.max(pause, 0), 0, {}, 0, true
end
`

// clockLua is the scripts' clock: ARGV's time when it is not 0 (tests),
// else Redis's TIME, in µs.
const clockLua = `
local function clock(arg)
  local now = tonumber(arg)
  if now > 0 then return now end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
`

// acquireScript admits one request.
//
//	ARGV: 1 now (µs; 0: Redis TIME), 2 interval (µs; 0: no documented
//	rate), 3 burst, 4 adaptive (1: learn the pace), 5 successes to record,
//	6 in-flight cap (0: none), 7 lease (µs), 8 lease id, 9 horizon (µs: the
//	furthest ahead a rate slot is reserved), 10 idle TTL (ms), 11 the
//	caller's deadline (µs from now; -1: none), 12 step (1: all, 2: the
//	in-flight lease only, after a reserved rate slot came due)
//
// It returns {code, µs}:
//
//	0 admitted: send after µs (a reserved rate slot); holds a lease if capped
//	1 not admitted: ask again after µs (the rate is reserved beyond the horizon)
//	2 paused by the vendor for µs more
//	3 the in-flight cap is full; µs until the oldest lease expires
//	4 the wait (µs) would pass the caller's deadline; nothing taken
//	5 rate slot reserved: after µs ask again with step 2 for the lease
//
// Codes 0 and 5 of step 1 add a third value, now: the reserved slot is
// now + µs on Redis's clock. The limiter ignores it; the fleet tests read it
// to check the admissions on the one clock that decides them.
var acquireScript = redis.NewScript(clockLua + paceLua + `
local now = clock(ARGV[1])
local interval, burst, adaptive = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local succ, cap, lease, id = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local horizon, ttl, deadline, step = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12]

local function take_lease()
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  if redis.call('ZCARD', KEYS[4]) >= cap then
    local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
    return false, tonumber(oldest[2]) - now
  end
  redis.call('ZADD', KEYS[4], now + lease, id)
  redis.call('PEXPIRE', KEYS[4], math.ceil(2 * lease / 1000))
  return true, 0
end

if step == '2' then
  local pend = tonumber(redis.call('GET', KEYS[2]) or '0')
  if pend > now then return {2, pend - now} end
  local ok, wait = take_lease()
  if ok then return {0, 0} end
  return {3, wait}
end

if adaptive then
  local p = pace_load(now)
  if succ > 0 then
    pace_succeed(p, now, succ)
    pace_save(p, ttl)
  end
  if p.r > 0 then interval, burst = 1000000 / p.r, 1 end
end

local pend = tonumber(redis.call('GET', KEYS[2]) or '0')
if pend > now then return {2, pend - now} end

if cap > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
  if redis.call('ZCARD', KEYS[4]) >= cap then
    local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
    return {3, tonumber(oldest[2]) - now}
  end
end

local wait = 0
if interval > 0 then
  local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
  if tat < now then tat = now end
  wait = math.max(0, tat - (burst - 1) * interval - now)
  if wait > horizon then return {1, wait - horizon} end
  if deadline >= 0 and wait > deadline then return {4, wait} end
  tat = tat + interval
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
end
if cap > 0 then
  if wait > 0 then return {5, wait, now} end
  take_lease()
end
return {0, wait, now}
`)

// observeScript records what a vendor answered.
//
//	ARGV: 1 now (µs; 0: Redis TIME), 2 pause (µs; 0: none), 3 adaptive,
//	4 limited (1: the answer was a rate-limit refusal), 5 successes to
//	record, 6 idle TTL (ms)
var observeScript = redis.NewScript(clockLua + paceLua + `
local now = clock(ARGV[1])
local pause, adaptive, limited = tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4] == '1'
local succ, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
if adaptive then
  local p = pace_load(now)
  if succ > 0 then pace_succeed(p, now, succ) end
  if limited then pace_limited(p, now, pause) end
  pace_save(p, ttl)
end
if pause > 0 then
  local pend = now + pause
  if pend > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], string.format('%.0f', pend), 'PX', math.ceil(pause / 1000))
  end
end
return 0
`)

// pauseScript returns the µs left of the vendor's pause (0 for none):
// a request that waited for its reserved rate slot asks it before it goes,
// since a pause may have begun meanwhile (ARGV: 1 now). KEYS[1] is p.
var pauseScript = redis.NewScript(clockLua + `
local now = clock(ARGV[1])
local pend = tonumber(redis.call('GET', KEYS[1]) or '0')
if pend > now then return pend - now end
return 0
`)

// renewScript extends a lease still held (ARGV: 1 now, 2 lease µs, 3 id).
var renewScript = redis.NewScript(clockLua + `
local now = clock(ARGV[1])
local n = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * tonumber(ARGV[2]) / 1000))
return n
`)
