// SPDX-License-Identifier: Apache-2.0
#pragma once
// Every error code ptwin reports, with the HTTP status a server answers for it. Kept as one
// table of data (the way Orthanc keeps ErrorCodes.json) so that the CLI, the HTTP layer and the
// docs cannot disagree.

#include <array>
#include <string_view>

namespace ptwin {

enum class ErrorCode {
  BadInput,           // a value broke a rule of its field
  MissingField,       // a required field is absent
  UnknownField,       // a key that the schema does not know
  UnitMismatch,       // a unit of the wrong dimension for the field
  UnknownUnit,        // a unit string that the parser cannot read
  AmbiguousTime,      // a timestamp without a usable offset
  UnknownBlockType,   // a model names a block type that the registry does not have
  ModelTopology,      // the model's connections do not form a well-posed system
  SolverDivergence,   // Newton failed to converge after every retry
  StoreFailure,       // the database refused an operation
  NotFound,           // the named record does not exist
  Io,                 // a file could not be read or written
  Internal,           // a broken invariant (a bug)
  FhirPackageMissing,     // the HL7 FHIR R5 definitions package is not installed where looked for
  FhirDefinitionInvalid,  // a file of the FHIR definitions package cannot be read as a definition
  RemoteServer,           // a remote server (FHIR, PACS) was unreachable or answered with an error
  NumericalBreakdown,     // a matrix that must be positive definite is not, or a value is not finite
  MeshingFailed,          // the mesher (Gmsh) refused a surface or could not fill it with tetrahedra
};

struct ErrorCodeInfo {
  ErrorCode code;
  std::string_view name;
  int http_status;
  std::string_view what_to_do;
};

inline constexpr std::array kErrorCodeTable{
    ErrorCodeInfo{ErrorCode::BadInput, "bad-input", 400, "correct the value named in the message"},
    ErrorCodeInfo{ErrorCode::MissingField, "missing-field", 400, "add the field named in the message"},
    ErrorCodeInfo{ErrorCode::UnknownField, "unknown-field", 400,
                  "remove or rename the key; see docs for the accepted keys"},
    ErrorCodeInfo{ErrorCode::UnitMismatch, "unit-mismatch", 400,
                  "give the value in a unit of the dimension the field expects"},
    ErrorCodeInfo{ErrorCode::UnknownUnit, "unknown-unit", 400,
                  "use a UCUM unit such as mm[Hg], mL/s, L/min, /min"},
    ErrorCodeInfo{ErrorCode::AmbiguousTime, "ambiguous-time", 400,
                  "send the timestamp with a UTC offset, or configure the source's time zone"},
    ErrorCodeInfo{ErrorCode::UnknownBlockType, "unknown-block-type", 400,
                  "use one of the block types listed in docs/physics.md"},
    ErrorCodeInfo{ErrorCode::ModelTopology, "model-topology", 422,
                  "check the connections of the block named in the message"},
    ErrorCodeInfo{ErrorCode::SolverDivergence, "solver-divergence", 422,
                  "reduce the time step or check the parameters of the block named"},
    ErrorCodeInfo{ErrorCode::StoreFailure, "store-failure", 500,
                  "check the database file and its permissions"},
    ErrorCodeInfo{ErrorCode::NotFound, "not-found", 404, "check the identifier"},
    ErrorCodeInfo{ErrorCode::Io, "io", 500, "check that the path exists and is readable"},
    ErrorCodeInfo{ErrorCode::Internal, "internal", 500, "report a bug with the message"},
    ErrorCodeInfo{ErrorCode::FhirPackageMissing, "fhir-package-missing", 500,
                  "run scripts/install_fhir_packages.sh, or set PTWIN_FHIR_PACKAGE_DIR to the "
                  "folder holding hl7.fhir.r5.core"},
    ErrorCodeInfo{ErrorCode::FhirDefinitionInvalid, "fhir-definition-invalid", 500,
                  "reinstall the FHIR packages with scripts/install_fhir_packages.sh"},
    ErrorCodeInfo{ErrorCode::RemoteServer, "remote-server", 502,
                  "check the server address, that it is running, and the OperationOutcome it "
                  "returned"},
    ErrorCodeInfo{ErrorCode::NumericalBreakdown, "numerical-breakdown", 422,
                  "check the noise covariances and the initial covariance of the estimator named "
                  "in the message: the step and the matrix that failed are named"},
    ErrorCodeInfo{ErrorCode::MeshingFailed, "meshing-failed", 422,
                  "check that the surface is closed, consistently oriented and free of "
                  "self-intersections; the failed Gmsh step is named (docs/geometry.md, Volume "
                  "mesh)"},
};

[[nodiscard]] constexpr const ErrorCodeInfo& error_code_info(ErrorCode code) {
  for (const auto& info : kErrorCodeTable) {
    if (info.code == code) return info;
  }
  return kErrorCodeTable.back();
}

}  // namespace ptwin
