-- Requests served while failing open are added to the monthly counter.
-- KEYS[1] monthly counter  ARGV[1] requests  ARGV[2] counter lifetime s
local used = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return used
