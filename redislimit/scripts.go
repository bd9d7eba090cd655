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

// paceLua is the learned pace of an unknown limit, fleet-wide: the same
// algorithm as the in-process limiter's (vendorkit's ratelimit.go, adapt),
// on state kept in the hash KEYS[3]. r is the pace (requests/s; 0 while the
// limit is open), s 1 during slow start, ws/wc/wp the one-second success
// windows (start, current, previous), lc the last cut.
const paceLua = `
local SLOW, GROW, CUT_MIN, CUT_MAX = 2, 1, 0.75, 0.9
local function pace_load(now)
  local v = redis.call('HMGET', KEYS[3], 'r', 's', 'ws', 'wc', 'wp', 'lc')
  return {r = tonumber(v[1]) or 0, s = tonumber(v[2]) or 0, ws = tonumber(v[3]) or now,
          wc = tonumber(v[4]) or 0, wp = tonumber(v[5]) or 0, lc = tonumber(v[6]) or 0}
end
local function pace_save(p, ttl)
  redis.call('HSET', KEYS[3], 'r', p.r, 's', p.s, 'ws', p.ws, 'wc', p.wc, 'wp', p.wp, 'lc', p.lc)
  redis.call('PEXPIRE', KEYS[3], ttl)
end
local function pace_roll(p, now)
  local since = now - p.ws
  if since >= 2000000 then p.ws, p.wp, p.wc = now, 0, 0
  elseif since >= 1000000 then p.ws, p.wp, p.wc = p.ws + 1000000, p.wc, 0 end
end
local function pace_observed(p, now)
  return (p.wc + p.wp) / (1 + (now - p.ws) / 1000000)
end
local function pace_succeed(p, now, n)
  pace_roll(p, now)
  p.wc = p.wc + n
  if p.r > 0 then
    if p.s == 1 then p.r = math.max(p.r + SLOW * n, pace_observed(p, now))
    else p.r = p.r + GROW * n / p.r end
  end
end
local function pace_limited(p, now)
  pace_roll(p, now)
  if now - p.lc < 1000000 then return end
  p.lc = now
  local obs = math.max(1, pace_observed(p, now))
  if p.r == 0 then p.r, p.s = obs, 1
  else p.r, p.s = math.max(0.1, math.min(CUT_MAX * p.r, math.max(obs, CUT_MIN * p.r))), 0 end
end
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
var acquireScript = redis.NewScript(paceLua + `
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
var observeScript = redis.NewScript(paceLua + `
local now = clock(ARGV[1])
local pause, adaptive, limited = tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4] == '1'
local succ, ttl = tonumber(ARGV[5]), tonumber(ARGV[6])
if adaptive then
  local p = pace_load(now)
  if succ > 0 then pace_succeed(p, now, succ) end
  if limited then pace_limited(p, now) end
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

// renewScript extends a lease still held (ARGV: 1 now, 2 lease µs, 3 id).
var renewScript = redis.NewScript(paceLua + `
local now = clock(ARGV[1])
local n = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * tonumber(ARGV[2]) / 1000))
return n
`)
