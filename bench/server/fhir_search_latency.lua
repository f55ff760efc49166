-- SPDX-License-Identifier: Apache-2.0
-- wrk script of bench/server/fhir_search_latency.sh: one scenario per wrk run, the patient
-- rotating over the loaded population so that no single cached page is measured.
--   wrk -t2 -c8 -d10s -s fhir_search_latency.lua http://127.0.0.1:PORT -- SCENARIO PATIENTS BASE
-- SCENARIO: read     GET BASE/Patient/<id>                                   (baseline)
--           search   GET BASE/Observation?patient=Patient/<id>&code=http://loinc.org|8867-4
--                        &date=ge2024-01-01
--           include  GET BASE/Observation?patient=Patient/<id>&_include=Observation:patient
-- PATIENTS: how many patients were loaded (ids bench-pt-0000 ...); BASE: the FHIR base path.
-- done() prints one line "RESULT key=value ..." with latencies in microseconds. It runs in
-- wrk's main Lua state, where init() never ran, so it does not know the scenario: the calling
-- script does.

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local scenario
local patients
local base_path
local counter = 0

function init(args)
  scenario = args[1]
  patients = tonumber(args[2])
  base_path = args[3]
  if scenario ~= "read" and scenario ~= "search" and scenario ~= "include" then
    error("unknown scenario '" .. tostring(scenario) .. "' (read, search or include)")
  end
  if patients == nil or patients < 1 then
    error("PATIENTS must be a positive number, got '" .. tostring(args[2]) .. "'")
  end
  -- Threads start at different patients (a stride of 37 spreads them over the population).
  counter = (thread_index or 0) * 37
end

function request()
  local patient = string.format("bench-pt-%04d", counter % patients)
  counter = counter + 1
  local path
  if scenario == "read" then
    path = base_path .. "/Patient/" .. patient
  elseif scenario == "search" then
    path = base_path .. "/Observation?patient=Patient/" .. patient ..
           "&code=http://loinc.org%7C8867-4&date=ge2024-01-01"
  else
    path = base_path .. "/Observation?patient=Patient/" .. patient ..
           "&_include=Observation:patient"
  end
  return wrk.format("GET", path, { ["Accept"] = "application/fhir+json" })
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f p50_us=%d p99_us=%d mean_us=%.0f " ..
    "max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(99), latency.mean, latency.max, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
