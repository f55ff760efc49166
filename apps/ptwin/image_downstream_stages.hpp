// SPDX-License-Identifier: Apache-2.0
#pragma once
// The stages of `ptwin image` after the lumen surface: centerlines with the vessel network and
// its 0D model, the tetrahedral volume mesh, and the results as DICOM SEG and SR (sent back to the
// PACS when the series came from one). Each fills its summary in the run for the report and
// lists the files it wrote.

#include <string>
#include <vector>

#include "image_run.hpp"
#include "ptwin/physics/zerod/network_model.hpp"

namespace ptwin::app {

/// vessel_network.json (ptwin.vessel-network/1) and zerod_model.json (ptwin.zerod/1).
void extract_vessel_network(ImageRun& run, std::vector<std::string>& outputs);

/// The 0D model's settings from --inflow-ml-s / --inflow-waveform (checked here: an InputError
/// names the option and the value), the rest at NetworkModelOptions' documented defaults.
[[nodiscard]] physics::zerod::NetworkModelOptions network_model_options(const ImageOptions& options);

/// Solves the network's 0D model for the stated inflow and puts each segment's predicted
/// pressure drop (cycle mean and peak) into the measurements that go into the SR.
/// A run that does not converge is reported (status and message), not raised.
void predict_pressure_drops(ImageRun& run, std::vector<std::string>& outputs);

/// lumen_mesh.vtu (tetrahedra with their quality) and lumen_boundary.vtp (wall, inlet, outlets);
/// the quality check against the default thresholds goes into the report (and the summary line).
void mesh_lumen(ImageRun& run, std::vector<std::string>& outputs);

/// seg.dcm and sr.dcm (diameters and stenosis per network segment), referencing the source
/// series; stored with STOW-RS to the source study when the series came from --pacs.
void write_dicom_results(ImageRun& run, std::vector<std::string>& outputs);

}  // namespace ptwin::app
