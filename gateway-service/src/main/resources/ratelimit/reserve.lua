-- One atomic decision per request, shared by every gateway instance; or, given several request ids,
-- a lease of one slot per id for one gateway's next requests of a customer (QuotaLeases).
-- KEYS[1] token bucket (hash t=tokens, ts=ms)   KEYS[2] successful requests this month (counter)
-- KEYS[3] in-flight reservations (zset request_id -> ms)
-- ARGV[1] tokens per ms  ARGV[2] bucket capacity  ARGV[3] monthly quota  ARGV[4] 1 = hard stop at quota
-- ARGV[5] request id     ARGV[6] reservation lifetime ms  ARGV[7] counter lifetime s
-- ARGV[8], ...: for a lease, the other request ids
-- Returns {outcome, retry_after_ms, tokens_left, used_or_reserved, expired}; outcome 0 allowed, 1 rate limited,
-- 2 quota exceeded; expired: the request ids whose reservations ran out unsettled (their gateway died), handed
-- to this caller alone, to count the successful ones from the request log.
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
local hard = ARGV[4] == '1'
if slots > 1 then
  -- A lease is granted whole, and only while the bucket and a hard quota keep three times its slots
  -- afterwards: near a limit every request is decided alone, and the slots other gateways hold are
  -- used up before it is reached. Refused, it changes nothing.
  if hard and used + 4 * slots > tonumber(ARGV[3]) then
    return {2, 0, math.floor(tokens), used, expired}
  end
  if tokens < 4 * slots then
    return {1, 0, math.floor(tokens), used, expired}
  end
else
  if hard and used >= tonumber(ARGV[3]) then
    return {2, 0, math.floor(tokens), used, expired}
  end
  if tokens < 1 then
    redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', now)
    redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
    return {1, math.ceil((1 - tokens) / rate), 0, used, expired}
  end
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
return {0, 0, math.floor(tokens), used + slots, expired}
