"""How close is close enough: tolerances, the named presets courses use, and the element-wise test.

The test is |s - r| <= atol + rtol * |r|, always scaled by the reference r: unlike numpy.isclose(a, b),
whose verdict changes when its arguments are swapped, a student's answer s never widens its own
tolerance. The CS231n preset is the one exception by design: its relative error
|s - r| / max(|s|, |r|) is symmetric, as the course notes define it.
"""

from dataclasses import dataclass

import numpy as np

RELATIVE_ABSOLUTE = "|s - r| <= atol + rtol * |r|"
CS231N_RELATIVE = "|s - r| / max(|s|, |r|) <= rtol (0 where s = r = 0)"


@dataclass(frozen=True)
class Preset:
    rtol: float
    atol: float
    formula: str
    source: str
    note: str


PRESETS = {
    "numpy": Preset(1e-5, 1e-8, RELATIVE_ABSOLUTE,
                    "https://numpy.org/doc/stable/reference/generated/numpy.isclose.html",
                    "numpy.isclose and numpy.allclose defaults (rtol=1e-05, atol=1e-08)"),
    "prairielearn": Preset(1e-2, 1e-8, RELATIVE_ABSOLUTE,
                           "https://prairielearn.readthedocs.io/en/latest/elements/pl-number-input/",
                           'pl-number-input with comparison="relabs" (the default): rtol=1e-2, atol=1e-8'),
    "gradcheck": Preset(1e-3, 1e-5, RELATIVE_ABSOLUTE,
                        "https://docs.pytorch.org/docs/stable/generated/torch.autograd.gradcheck.gradcheck.html",
                        "torch.autograd.gradcheck defaults: eps=1e-06 (its finite-difference step), atol=1e-05, "
                        "rtol=0.001"),
    "cs231n": Preset(1e-4, 0.0, CS231N_RELATIVE, "https://cs231n.github.io/neural-networks-3/#gradcheck",
                     "CS231n gradient checks: relative error > 1e-2 probably wrong, 1e-4 to 1e-2 uncomfortable, "
                     "< 1e-4 usually okay with kinks, <= 1e-7 happy; this preset passes at <= 1e-4"),
}
DEFAULT_PRESET = "prairielearn"
CS231N_VERDICTS = ((1e-7, "happy"), (1e-4, "usually okay"), (1e-2, "uncomfortable"))


@dataclass(frozen=True)
class Tolerance:
    preset: str | None
    rtol: float
    atol: float

    @property
    def symmetric(self):
        return self.preset == "cs231n"

    def describe(self):
        """What the response echoes: the formula and the numbers applied, with the preset's source."""
        preset = PRESETS[self.preset or DEFAULT_PRESET]
        described = {"preset": self.preset, "formula": CS231N_RELATIVE if self.symmetric else RELATIVE_ABSOLUTE,
                     "rtol": self.rtol, "atol": 0.0 if self.symmetric else self.atol}
        if self.preset is not None:
            described |= {"source": preset.source, "note": preset.note}
        return described


def tolerance(preset=None, rtol=None, atol=None):
    """A preset's numbers, each overridden by an explicit rtol or atol. With neither a preset nor numbers,
    the default preset; with numbers alone, those numbers (the default preset's for the one not given)."""
    if preset is None and rtol is None and atol is None:
        preset = DEFAULT_PRESET
    base = PRESETS[preset or DEFAULT_PRESET]
    return Tolerance(preset, base.rtol if rtol is None else rtol, base.atol if atol is None else atol)


@dataclass(frozen=True)
class Comparison:
    within: np.ndarray          # bool, element-wise
    absolute_error: np.ndarray
    relative_error: np.ndarray  # |s - r| / |r| (or the CS231n ratio); inf where r = 0 and s != 0

    @property
    def all_within(self):
        return bool(self.within.all())

    @property
    def fraction_within(self):
        return float(self.within.mean()) if self.within.size else 1.0


def compare(submitted, reference, tol):
    """Element-wise comparison of two finite float64 arrays of the same shape."""
    s, r = np.asarray(submitted, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    with np.errstate(all="ignore"):
        error = np.abs(s - r)
        scale = np.maximum(np.abs(s), np.abs(r)) if tol.symmetric else np.abs(r)
        relative = np.where(error == 0, 0.0, error / scale)
        within = relative <= tol.rtol if tol.symmetric else error <= tol.atol + tol.rtol * np.abs(r)
    return Comparison(np.asarray(within), error, relative)


def close(submitted, reference, tol):
    """Whether every entry of `submitted` is within tolerance of `reference` (shapes must match)."""
    return np.shape(submitted) == np.shape(reference) and compare(submitted, reference, tol).all_within


def cs231n_verdict(relative_error):
    return next((word for limit, word in CS231N_VERDICTS if relative_error <= limit), "probably wrong")


def pure_relative(tol):
    """A test that an exactly-zero reference can never pass unless the answer is exactly zero too."""
    return tol.symmetric or tol.atol == 0
