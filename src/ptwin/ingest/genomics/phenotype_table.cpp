// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/genomics/phenotype_table.hpp"

#include <algorithm>
#include <array>

namespace ptwin::ingest::genomics {
namespace {

// LOINC answers of LL3856-3 (as used in the Genomics Reporting IG examples).
constexpr std::string_view kUltrarapid = "LA10315-2";
constexpr std::string_view kRapid = "LA25390-8";
constexpr std::string_view kNormal = "LA25391-6";
constexpr std::string_view kIntermediate = "LA10317-8";
constexpr std::string_view kPoor = "LA9657-3";

// Clopidogrel, CPIC 2022 (Lee et al., doi:10.1002/cpt.2526), Table 1 (allele functions: *1
// normal, *2 and *3 no function, *17 increased) and Table 2 (cardiovascular indications).
constexpr std::string_view kClopidogrelStandard =
    "Normal or increased clopidogrel active metabolite formation and on-treatment platelet "
    "inhibition: if clopidogrel is considered, use the standard dose (75 mg/day).";
constexpr std::string_view kClopidogrelReduced =
    "Reduced clopidogrel active metabolite formation, increased on-treatment platelet "
    "reactivity and risk of adverse cardiovascular events: for ACS/PCI avoid standard-dose "
    "clopidogrel if possible; use prasugrel or ticagrelor at standard dose if not "
    "contraindicated.";
constexpr std::string_view kClopidogrelAbsent =
    "Significantly reduced clopidogrel active metabolite formation and platelet inhibition: "
    "avoid clopidogrel if possible; use prasugrel or ticagrelor at standard dose if not "
    "contraindicated.";

// Warfarin, CPIC 2017 (Johnson et al., doi:10.1002/cpt.668): CYP2C9 allele activity values
// *1 = 1, *2 = 0.5, *3 = 0; activity score 2 normal, 1-1.5 intermediate, 0-0.5 poor
// metabolizer (CPIC CYP2C9 diplotype-phenotype table). The dose itself comes from a
// validated pharmacogenetic algorithm with CYP2C9 and VKORC1 together.
constexpr std::string_view kWarfarinCyp2c9Normal =
    "Normal S-warfarin clearance (CYP2C9 activity score 2): dose with a validated "
    "pharmacogenetic algorithm using CYP2C9 and VKORC1.";
constexpr std::string_view kWarfarinCyp2c9Reduced =
    "Reduced S-warfarin clearance (CYP2C9 activity score 1-1.5): lower dose requirement and "
    "higher bleeding risk; dose with a validated pharmacogenetic algorithm using CYP2C9 and "
    "VKORC1.";
constexpr std::string_view kWarfarinCyp2c9Poor =
    "Markedly reduced S-warfarin clearance (CYP2C9 activity score 0-0.5): substantially lower "
    "dose requirement and higher bleeding risk; dose with a validated pharmacogenetic algorithm "
    "using CYP2C9 and VKORC1.";

// VKORC1 c.-1639G>A (rs9923231, plus strand C>T): each A allele lowers VKORC1 expression and
// the warfarin dose requirement (CPIC 2017).
constexpr std::string_view kVkorc1None =
    "No VKORC1 -1639A allele: usual warfarin sensitivity; dose with a validated algorithm.";
constexpr std::string_view kVkorc1One =
    "One VKORC1 -1639A allele: increased warfarin sensitivity (lower dose requirement); dose "
    "with a validated algorithm.";
constexpr std::string_view kVkorc1Two =
    "Two VKORC1 -1639A alleles: greatly increased warfarin sensitivity (much lower dose "
    "requirement); dose with a validated algorithm.";

// Simvastatin, CPIC 2022 (Cooper-DeHoff et al., doi:10.1002/cpt.2557): SLCO1B1 function from
// rs4149056 c.521T>C when only that variant is typed (T/T normal, T/C decreased, C/C poor).
constexpr std::string_view kSimvastatinNormal =
    "Normal SLCO1B1 function: typical simvastatin exposure and myopathy risk; prescribe the "
    "desired starting dose.";
constexpr std::string_view kSimvastatinDecreased =
    "Decreased SLCO1B1 function: increased simvastatin acid exposure and myopathy risk; "
    "prescribe an alternative statin, or limit simvastatin to less than 20 mg/day.";
constexpr std::string_view kSimvastatinPoor =
    "Poor SLCO1B1 function: high simvastatin acid exposure and myopathy risk; prescribe an "
    "alternative statin.";

constexpr std::array kRows{
    PhenotypeRow{"CYP2C19", "*1/*1", "Normal metabolizer", kNormal, kClopidogrelStandard},
    PhenotypeRow{"CYP2C19", "*1/*17", "Rapid metabolizer", kRapid, kClopidogrelStandard},
    PhenotypeRow{"CYP2C19", "*17/*17", "Ultrarapid metabolizer", kUltrarapid,
                 kClopidogrelStandard},
    PhenotypeRow{"CYP2C19", "*1/*2", "Intermediate metabolizer", kIntermediate,
                 kClopidogrelReduced},
    PhenotypeRow{"CYP2C19", "*1/*3", "Intermediate metabolizer", kIntermediate,
                 kClopidogrelReduced},
    PhenotypeRow{"CYP2C19", "*2/*17", "Intermediate metabolizer", kIntermediate,
                 kClopidogrelReduced},
    PhenotypeRow{"CYP2C19", "*3/*17", "Intermediate metabolizer", kIntermediate,
                 kClopidogrelReduced},
    PhenotypeRow{"CYP2C19", "*2/*2", "Poor metabolizer", kPoor, kClopidogrelAbsent},
    PhenotypeRow{"CYP2C19", "*2/*3", "Poor metabolizer", kPoor, kClopidogrelAbsent},
    PhenotypeRow{"CYP2C19", "*3/*3", "Poor metabolizer", kPoor, kClopidogrelAbsent},
    PhenotypeRow{"CYP2C9", "*1/*1", "Normal metabolizer", kNormal, kWarfarinCyp2c9Normal},
    PhenotypeRow{"CYP2C9", "*1/*2", "Intermediate metabolizer", kIntermediate,
                 kWarfarinCyp2c9Reduced},
    PhenotypeRow{"CYP2C9", "*1/*3", "Intermediate metabolizer", kIntermediate,
                 kWarfarinCyp2c9Reduced},
    PhenotypeRow{"CYP2C9", "*2/*2", "Intermediate metabolizer", kIntermediate,
                 kWarfarinCyp2c9Reduced},
    PhenotypeRow{"CYP2C9", "*2/*3", "Poor metabolizer", kPoor, kWarfarinCyp2c9Poor},
    PhenotypeRow{"CYP2C9", "*3/*3", "Poor metabolizer", kPoor, kWarfarinCyp2c9Poor},
    PhenotypeRow{"VKORC1", "C/C", "-1639 G/G (no A allele)", "", kVkorc1None},
    PhenotypeRow{"VKORC1", "C/T", "-1639 G/A (one A allele)", "", kVkorc1One},
    PhenotypeRow{"VKORC1", "T/T", "-1639 A/A (two A alleles)", "", kVkorc1Two},
    PhenotypeRow{"SLCO1B1", "T/T", "Normal function", "", kSimvastatinNormal},
    PhenotypeRow{"SLCO1B1", "T/C", "Decreased function", "", kSimvastatinDecreased},
    PhenotypeRow{"SLCO1B1", "C/C", "Poor function", "", kSimvastatinPoor},
};

}  // namespace

std::span<const PhenotypeRow> phenotype_rows() { return kRows; }

const PhenotypeRow* find_phenotype(std::string_view gene, std::string_view diplotype) {
  const auto* found = std::find_if(kRows.begin(), kRows.end(), [&](const auto& row) {
    return row.gene == gene && row.diplotype == diplotype;
  });
  return found == kRows.end() ? nullptr : &*found;
}

}  // namespace ptwin::ingest::genomics
