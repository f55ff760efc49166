// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/model_info.hpp"

#include <fmt/format.h>

#include "ptwin/core/time.hpp"
#include "ptwin/vv/gate/model_identity.hpp"

namespace ptwin::server::dashboard {

ModelInfo hypotension_model_info(const twin::risk::HypotensionRiskSettings& settings,
                                 const vv::gate::ModelGate* gate) {
  const auto identity = vv::gate::hypotension_risk_model_identity(settings);
  ModelInfo info{identity.name, identity.version, identity.settings_digest, {}, std::nullopt,
                 vv::gate::recalibration_digest(settings.recalibrations)};
  if (info.recalibration_digest) {
    std::string maps;
    for (const auto& r : settings.recalibrations) {
      if (!maps.empty()) maps.append(", ");
      maps.append(fmt::format("{} {} s", twin::risk::to_string(r.map.method), r.horizon.count()));
    }
    info.recalibration = std::move(maps);
  }
  if (gate == nullptr) {
    info.verification = {std::string(vv::gate::to_string(vv::gate::VerificationStatus::Unverified)),
                         "this process ran no verification cases for the model; ptwin serve runs "
                         "them when serve.fhir_outputs is declared, ptwin vv gate runs them "
                         "alone (docs/vv.md#model-gate)"};
    return info;
  }
  info.verification.status = std::string(vv::gate::to_string(gate->status()));
  info.verification.detail =
      gate->may_emit()
          ? fmt::format("{} verification cases passed for these settings at {}; clinical "
                        "outputs are emitted",
                        gate->record().cases.size(),
                        time::format_iso8601(gate->record().verified_at))
          : fmt::format("clinical outputs withheld: {}", gate->reason());
  return info;
}

}  // namespace ptwin::server::dashboard
