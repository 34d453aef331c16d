-- wrk script: posts signed Twilio inbound-SMS forms, as bench/webhook.sh prepares them
-- (smshall-bench requests: "signature<TAB>form body", one a line).
--   wrk -t2 -c16 -d10s -s bench/webhook.lua http://127.0.0.1:5090 -- <requests file> <threads>
-- Thread t of T takes every T-th line from line t, so no two requests in a run share a MessageSid.
local threads = {}

-- WRK_PORTS=5090,5092 spreads the threads round-robin over several nodes on the same host (thread t
-- posts to port t of the list, wrapping): several gateways behind one load generator.
local ports = {}
for port in (os.getenv("WRK_PORTS") or ""):gmatch("%d+") do table.insert(ports, port) end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
  if #ports > 0 then
    thread.addr = wrk.lookup("127.0.0.1", ports[(#threads - 1) % #ports + 1])[1]
  end
end

function init(args)
  local path, count = args[1], tonumber(args[2]) or 1
  requests, nextRequest, n = {}, 1, 0
  for line in io.lines(path) do
    n = n + 1
    if (n - 1) % count == id - 1 then
      local tab = line:find("\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", "/twilio/sms", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = line:sub(1, tab - 1),
      }, line:sub(tab + 1))
    end
  end
end

function request()
  local r = requests[nextRequest]
  nextRequest = nextRequest % #requests + 1 -- wraps only if a run outlasts the file
  return r
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
