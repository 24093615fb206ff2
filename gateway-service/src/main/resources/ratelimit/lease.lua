-- A lease: several slots reserved at once, one per request id given, for one gateway's next requests
-- of a customer (QuotaLeases). Granted only while the bucket and, under a hard quota, the month's
-- quota keep three times as many once the slots are taken, so that near a limit every request is
-- decided alone by reserve.lua, and the slots other gateways hold are used up before it is reached. Each slot is an ordinary reservation: settled by settle-batch.lua,
-- or counted from the request log if its gateway dies (AbandonedReservations).
-- KEYS and ARGV[1..7] as reserve.lua's, except ARGV[5]: the first request id; ARGV[8], ...: the others.
-- Returns {granted, tokens_left, used_or_reserved, expired}; granted 1 or 0 (nothing changed but expiries).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local ids = {ARGV[5]}
for i = 8, #ARGV do
  ids[#ids + 1] = ARGV[i]
end
local slots = #ids

local bucket = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(bucket[1]) or capacity
local last = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate)

local cutoff = now - tonumber(ARGV[6])
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', cutoff)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', cutoff)
end
local used = tonumber(redis.call('GET', KEYS[2]) or '0') + redis.call('ZCARD', KEYS[3])
if tokens < 4 * slots or (ARGV[4] == '1' and used + 4 * slots > tonumber(ARGV[3])) then
  return {0, math.floor(tokens), used, expired}
end
tokens = tokens - slots
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
local members = {}
for i = 1, slots do
  members[#members + 1] = now
  members[#members + 1] = ids[i]
end
redis.call('ZADD', KEYS[3], unpack(members))
redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[7]))
return {1, math.floor(tokens), used + slots, expired}
