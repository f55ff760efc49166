// SPDX-License-Identifier: Apache-2.0
#pragma once
// Physical quantities with their dimension in the type. SI inside the engine; conversion to and
// from display units (mmHg, mL/s, bpm, dyn.s/cm5, ...) happens only at the edges, through
// `value * unit` and `quantity.in(unit)`. As in Pulse's SEScalar there is no unitless getter:
// code says `.si()` or `.in(units::mmHg)`.

#include <string>
#include <string_view>

namespace ptwin::units {

/// Exponents of mass (kg), length (m), time (s) and amount of substance (mol).
struct Dimension {
  int mass = 0;
  int length = 0;
  int time = 0;
  int amount = 0;
  friend constexpr bool operator==(const Dimension&, const Dimension&) = default;
  friend constexpr Dimension operator+(Dimension a, Dimension b) {
    return {a.mass + b.mass, a.length + b.length, a.time + b.time, a.amount + b.amount};
  }
  friend constexpr Dimension operator-(Dimension a, Dimension b) {
    return {a.mass - b.mass, a.length - b.length, a.time - b.time, a.amount - b.amount};
  }
};

/// A unit of dimension D: multiply by `to_si` to get the SI value.
template <Dimension D>
struct Unit {
  double to_si;
  std::string_view symbol;  // UCUM code where one exists
};

template <Dimension D>
class Quantity {
 public:
  static constexpr Dimension kDimension = D;
  constexpr Quantity() = default;
  [[nodiscard]] static constexpr Quantity from_si(double si) { return Quantity(si); }
  [[nodiscard]] constexpr double si() const { return si_; }
  [[nodiscard]] constexpr double in(Unit<D> unit) const { return si_ / unit.to_si; }

  constexpr Quantity operator+(Quantity other) const { return Quantity(si_ + other.si_); }
  constexpr Quantity operator-(Quantity other) const { return Quantity(si_ - other.si_); }
  constexpr Quantity operator-() const { return Quantity(-si_); }
  constexpr Quantity operator*(double factor) const { return Quantity(si_ * factor); }
  constexpr Quantity operator/(double divisor) const { return Quantity(si_ / divisor); }
  constexpr Quantity& operator+=(Quantity other) { si_ += other.si_; return *this; }
  constexpr Quantity& operator-=(Quantity other) { si_ -= other.si_; return *this; }
  friend constexpr Quantity operator*(double factor, Quantity q) { return q * factor; }
  friend constexpr auto operator<=>(const Quantity&, const Quantity&) = default;

 private:
  constexpr explicit Quantity(double si) : si_(si) {}
  double si_ = 0.0;
};

template <Dimension A, Dimension B>
constexpr Quantity<A + B> operator*(Quantity<A> a, Quantity<B> b) {
  return Quantity<A + B>::from_si(a.si() * b.si());
}
template <Dimension A, Dimension B>
constexpr Quantity<A - B> operator/(Quantity<A> a, Quantity<B> b) {
  return Quantity<A - B>::from_si(a.si() / b.si());
}
template <Dimension D>
constexpr Quantity<D> operator*(double value, Unit<D> unit) {
  return Quantity<D>::from_si(value * unit.to_si);
}

inline constexpr Dimension kDimensionless{};
inline constexpr Dimension kPressureDim{1, -1, -2, 0};
inline constexpr Dimension kVolumeDim{0, 3, 0, 0};
inline constexpr Dimension kVolumeFlowDim{0, 3, -1, 0};
inline constexpr Dimension kTimeDim{0, 0, 1, 0};
inline constexpr Dimension kFrequencyDim{0, 0, -1, 0};
inline constexpr Dimension kLengthDim{0, 1, 0, 0};
inline constexpr Dimension kFlowResistanceDim = kPressureDim - kVolumeFlowDim;
inline constexpr Dimension kComplianceDim = kVolumeDim - kPressureDim;
inline constexpr Dimension kElastanceDim = kPressureDim - kVolumeDim;
inline constexpr Dimension kInertanceDim = kPressureDim - kVolumeFlowDim + kTimeDim;
inline constexpr Dimension kStenosisCoefficientDim = kPressureDim - kVolumeFlowDim - kVolumeFlowDim;
inline constexpr Dimension kDynamicViscosityDim{1, -1, -1, 0};

using Ratio = Quantity<kDimensionless>;
using Pressure = Quantity<kPressureDim>;
using Volume = Quantity<kVolumeDim>;
using VolumeFlow = Quantity<kVolumeFlowDim>;
using Duration = Quantity<kTimeDim>;
using Frequency = Quantity<kFrequencyDim>;
using Length = Quantity<kLengthDim>;
using FlowResistance = Quantity<kFlowResistanceDim>;
using Compliance = Quantity<kComplianceDim>;
using Elastance = Quantity<kElastanceDim>;
using Inertance = Quantity<kInertanceDim>;
using DynamicViscosity = Quantity<kDynamicViscosityDim>;

// mmHg: conventional millimetre of mercury, 133.322387415 Pa (UCUM mm[Hg]).
inline constexpr double kPaPerMmHg = 133.322387415;
// cmH2O: conventional centimetre of water, 98.0665 Pa (UCUM cm[H2O]).
inline constexpr double kPaPerCmH2O = 98.0665;

inline constexpr Unit<kDimensionless> one{1.0, "1"};
inline constexpr Unit<kDimensionless> percent{0.01, "%"};
inline constexpr Unit<kPressureDim> pa{1.0, "Pa"};
inline constexpr Unit<kPressureDim> kpa{1e3, "kPa"};
inline constexpr Unit<kPressureDim> mmHg{kPaPerMmHg, "mm[Hg]"};
inline constexpr Unit<kPressureDim> cmH2O{kPaPerCmH2O, "cm[H2O]"};
inline constexpr Unit<kPressureDim> dyn_per_cm2{0.1, "dyn/cm2"};
inline constexpr Unit<kVolumeDim> m3{1.0, "m3"};
inline constexpr Unit<kVolumeDim> mL{1e-6, "mL"};
inline constexpr Unit<kVolumeDim> L{1e-3, "L"};
inline constexpr Unit<kVolumeFlowDim> m3_per_s{1.0, "m3/s"};
inline constexpr Unit<kVolumeFlowDim> mL_per_s{1e-6, "mL/s"};
inline constexpr Unit<kVolumeFlowDim> L_per_min{1e-3 / 60.0, "L/min"};
inline constexpr Unit<kTimeDim> s{1.0, "s"};
inline constexpr Unit<kTimeDim> ms{1e-3, "ms"};
inline constexpr Unit<kTimeDim> min{60.0, "min"};
inline constexpr Unit<kFrequencyDim> hz{1.0, "Hz"};
inline constexpr Unit<kFrequencyDim> bpm{1.0 / 60.0, "/min"};
inline constexpr Unit<kLengthDim> m{1.0, "m"};
inline constexpr Unit<kLengthDim> cm{1e-2, "cm"};
inline constexpr Unit<kLengthDim> mm{1e-3, "mm"};
inline constexpr Unit<kFlowResistanceDim> pa_s_per_m3{1.0, "Pa.s/m3"};
inline constexpr Unit<kFlowResistanceDim> mmHg_s_per_mL{kPaPerMmHg / 1e-6, "mm[Hg].s/mL"};
inline constexpr Unit<kFlowResistanceDim> dyn_s_per_cm5{0.1 / 1e-6, "dyn.s/cm5"};
inline constexpr Unit<kComplianceDim> m3_per_pa{1.0, "m3/Pa"};
inline constexpr Unit<kComplianceDim> mL_per_mmHg{1e-6 / kPaPerMmHg, "mL/mm[Hg]"};
inline constexpr Unit<kElastanceDim> pa_per_m3{1.0, "Pa/m3"};
inline constexpr Unit<kElastanceDim> mmHg_per_mL{kPaPerMmHg / 1e-6, "mm[Hg]/mL"};
inline constexpr Unit<kInertanceDim> pa_s2_per_m3{1.0, "Pa.s2/m3"};
inline constexpr Unit<kInertanceDim> mmHg_s2_per_mL{kPaPerMmHg / 1e-6, "mm[Hg].s2/mL"};
inline constexpr Unit<kDynamicViscosityDim> pa_s{1.0, "Pa.s"};

/// A unit read from text at run time: its dimension and its factor to SI.
struct ParsedUnit {
  Dimension dimension;
  double to_si = 1.0;
};

/// Parses a UCUM-style unit expression: atoms with optional SI prefixes and integer exponents
/// joined by '.', '*' and '/', e.g. "mm[Hg]", "mmHg.s/mL", "dyn.s.cm-5", "dyn.s/cm^5", "L/min",
/// "/min", "{beats}/min", "bpm", "%". Annotations in braces are dimensionless.
/// Throws InputError(UnknownUnit) naming the expression and the atom it could not read.
[[nodiscard]] ParsedUnit parse_unit(std::string_view expression);

/// Human-readable dimension, e.g. "M L^-1 T^-2".
[[nodiscard]] std::string to_string(Dimension dimension);

/// Converts `value` given in `unit` to SI, checking the dimension. `where` names the field in
/// the error. Throws InputError(UnknownUnit | UnitMismatch).
[[nodiscard]] double to_si(double value, std::string_view unit, Dimension expected,
                           std::string_view where);

/// Typed form of to_si: `quantity_from<Pressure>(120, "mm[Hg]", "Observation.valueQuantity")`.
template <typename Q>
[[nodiscard]] Q quantity_from(double value, std::string_view unit, std::string_view where) {
  return Q::from_si(to_si(value, unit, Q::kDimension, where));
}

/// Converts between two unit expressions of the same dimension.
[[nodiscard]] double convert(double value, std::string_view from_unit, std::string_view to_unit);

}  // namespace ptwin::units
