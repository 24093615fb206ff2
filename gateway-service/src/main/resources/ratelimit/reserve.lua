-- One atomic decision per request, shared by every gateway instance.
-- KEYS[1] token bucket (hash t=tokens, ts=ms)   KEYS[2] successful requests this month (counter)
-- KEYS[3] in-flight reservations (zset request_id -> ms)
-- ARGV[1] tokens per ms  ARGV[2] bucket capacity  ARGV[3] monthly quota  ARGV[4] 1 = hard stop at quota
-- ARGV[5] request id     ARGV[6] reservation lifetime ms  ARGV[7] counter lifetime s
-- Returns {outcome, retry_after_ms, tokens_left, used_or_reserved, expired}; outcome 0 allowed, 1 rate limited,
-- 2 quota exceeded; expired: the request ids whose reservations ran out unsettled (their gateway died), handed
-- to this caller alone, to count the successful ones from the request log.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])

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
if ARGV[4] == '1' and used >= tonumber(ARGV[3]) then
  return {2, 0, math.floor(tokens), used, expired}
end
if tokens < 1 then
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
  return {1, math.ceil((1 - tokens) / rate), 0, used, expired}
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('PEXPIRE', KEYS[3], 2 * tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[7]))
return {0, 0, math.floor(tokens), used + 1, expired}
