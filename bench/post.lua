-- wrk script for bench/run.py: POST one pre-generated request per line of a file.
--
--   wrk ... -s bench/post.lua <url> -- <requests file> <thread count> <path>
--
-- Each line of the file is "<token>\t<json body>"; an empty token sends no
-- Authorization header. Thread k (0-based) takes lines k, k+n, k+2n, ... so no
-- two threads ever send the same line, and each line is sent once unless a thread
-- runs out, when it starts its share again and counts that in `reused` (for the
-- check-in endpoint a reused line is a 409, which run.py reports).
--
-- done() prints one line "BENCH_JSON {...}" for run.py to parse: counts,
-- latency percentiles in microseconds, and the status codes seen.

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads, path = args[1], tonumber(args[2]), args[3]
  prepared = {}
  local index = 0
  for line in io.lines(file) do
    if index % nthreads == tid then
      local token, body = line:match("^([^\t]*)\t(.*)$")
      local headers = { ["Content-Type"] = "application/json" }
      if token ~= "" then
        headers["Authorization"] = "Token " .. token
      end
      prepared[#prepared + 1] = wrk.format("POST", path, headers, body)
    end
    index = index + 1
  end
  cursor = 0
  reused = 0
  statuses = {}
end

function request()
  cursor = cursor + 1
  if cursor > #prepared then
    cursor = 1
    reused = reused + 1
  end
  return prepared[cursor]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local statuses, reused = {}, 0
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      statuses[code] = (statuses[code] or 0) + count
    end
    reused = reused + thread:get("reused")
  end
  local codes = {}
  for code, count in pairs(statuses) do
    codes[#codes + 1] = string.format('"%s": %d', code, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "latency_us": '
      .. '{"mean": %.1f, "stdev": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"statuses": {%s}, "reused": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency.stdev, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout,
    table.concat(codes, ", "), reused
  ))
end
