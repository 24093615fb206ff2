-- Reconciliation after Redis lost its counters: the request log is the truth.
-- KEYS[1] monthly counter  ARGV[1] successful requests in the log  ARGV[2] the counter just before the
-- log was read  ARGV[3] counter lifetime s
-- A request is logged before it is settled, so one settled since the counter was read may be
-- missing from the log count: those settlements are added on top of it.
-- Returns {counter, 1 if it was raised else 0}.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local target = tonumber(ARGV[1]) + math.max(0, current - tonumber(ARGV[2]))
if target > current then
  redis.call('SET', KEYS[1], target, 'EX', tonumber(ARGV[3]))
  return {target, 1}
end
return {current, 0}
