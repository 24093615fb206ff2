-- After the response: the reservation ends, and a successful inference becomes billable usage.
-- KEYS[1] monthly counter  KEYS[2] reservations   ARGV[1] request id  ARGV[2] 1 = success  ARGV[3] counter lifetime s
-- A reservation that expired before its settle was handed to AbandonedReservations, which counts it
-- from the request log: counting it here too would count it twice.
local reserved = redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] == '1' and reserved == 1 then
  local used = redis.call('INCR', KEYS[1])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
  return used
end
return tonumber(redis.call('GET', KEYS[1]) or '0')
