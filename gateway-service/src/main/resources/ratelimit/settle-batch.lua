-- After the responses: the reservations of one customer's requests in one month end, and the
-- successful inferences among them become billable usage. One call settles a batch of them.
-- KEYS[1] monthly counter  KEYS[2] reservations  ARGV[1] counter lifetime s
-- ARGV[2], ARGV[3], ...: request id, 1 = success, for each request settled
-- Returns the counter afterwards.
-- A reservation that expired before its settle was handed to AbandonedReservations, which counts it
-- from the request log: counting it here too would count it twice, so only a reservation this call
-- removes counts.
local served = 0
for i = 2, #ARGV, 2 do
  if redis.call('ZREM', KEYS[2], ARGV[i]) == 1 and ARGV[i + 1] == '1' then
    served = served + 1
  end
end
if served > 0 then
  local used = redis.call('INCRBY', KEYS[1], served)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
  return used
end
return tonumber(redis.call('GET', KEYS[1]) or '0')
