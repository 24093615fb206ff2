-- Reconciliation: the request log is the truth; a counter that missed requests is raised to it.
-- KEYS[1] monthly counter  ARGV[1] successful requests in the log  ARGV[2] counter lifetime s
-- Returns {counter, 1 if it was raised else 0}.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local logged = tonumber(ARGV[1])
if logged > current then
  redis.call('SET', KEYS[1], logged, 'EX', tonumber(ARGV[2]))
  return {logged, 1}
end
return {current, 0}
