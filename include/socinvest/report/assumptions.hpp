#pragma once
// The scenario's assumptions in words a steering group reads (issue 14): for every number
// of the scenario a plain label built from the scenario's own names (states, departments,
// interventions, notes) and the catalogue's words, its unit, the price year of an amount,
// its source, and whether it rests on a source at all. The one home of that labelling:
// report.html's assumptions section and first page, and the workbook's Assumptions sheet,
// all take their rows from assumption_rows(); the key path stays beside each row as a
// technical column.
//
// And how much of a variant's result rests on numbers without a source (GuessWeight): a
// count, and the share of the change in costs against the baseline that lies on cost lines
// whose amount is such a number (defined in guess_weight below).
#include <socinvest/ledger/results.hpp>
#include <socinvest/report/format.hpp>
#include <socinvest/scenario/scenario.hpp>

#include <string>
#include <vector>

namespace socinvest {

/// What a number rests on. The project's convention (scenarios/README.md, "The shipped
/// scenarios"): every number carries its source beside it, or the word GUESS when it is an
/// assumption of the author's. A number the scenario gives without any source is not backed
/// either; it is told apart in words but counts with the guesses.
enum class Backing { source, guess, none };

/// The backing of a number whose `source:` text is `source`: guess when the text holds the
/// word GUESS (in capitals, as a whole word: "GUESS", "mode GUESS", "GUESS, calibrated to
/// ..."), none when it is empty or blank, else source.
[[nodiscard]] Backing backing_of(const std::string& source);
[[nodiscard]] inline bool unbacked(Backing b) { return b != Backing::source; }
/// Whether a GUESS source says nothing more than the word ("GUESS", "GUESS."): the reports
/// then show only "assumption (no source)", else that and the text.
[[nodiscard]] inline bool only_the_word_guess(const std::string& source) {
  return source.find_first_not_of(" GUESS.") == std::string::npos;
}

/// One row of the assumptions table.
struct AssumptionRow {
  const Quantity* quantity = nullptr; ///< null for a Dirichlet row
  const DirichletRow* dirichlet = nullptr;
  const TransitionBand* band = nullptr; ///< a Dirichlet row's band (its destinations), in domain `domain`
  int domain = -1;
  std::string path;   ///< the key path (the technical column)
  std::string label;  ///< in plain words, in the language asked for
  std::string unit;   ///< in words
  int price_year = 0; ///< an amount: the run's price year (amounts are held in it); else 0
  int given_price_year = 0; ///< an amount written in another year's prices (Quantity), else 0
  std::string source;
  Backing backing = Backing::none;
};

/// Every number of the scenario (Scenario::quantities(), then the Dirichlet rows), in that
/// order, labelled in `lang`. Left out: an intervention's capacity and intake settings and a
/// contract's amount or amount per person that the scenario does not write (default 0, "not
/// used"), which are no assumption.
[[nodiscard]] std::vector<AssumptionRow> assumption_rows(const Scenario& s, Language lang);

/// The plain word for a state of a domain (the catalogue's word for the shipped states,
/// else the id with spaces for underscores).
[[nodiscard]] std::string state_word(const Scenario& s, int domain, int state, Language lang);

/// How much of variant `variant`'s result rests on numbers without a source.
///
/// Every state cost line and transition cost line changes the costs against the baseline by
/// (mean change in its person-months or moves) x (its mean amount in force in each month),
/// summed over the whole horizon, before reimbursement, cashable shares and equalisation, not
/// discounted: the line's change; its unbacked part is that of the months whose amount in
/// force is unbacked (a line with rate changes: some periods may be backed, others not).
/// `guessed_share` is the sum of |unbacked part| over the sum of |backed part| + |unbacked
/// part| over all lines (|change| where the two parts agree in sign; where they do not, the
/// gross movement, so that the share stays between 0 and 1; NaN when nothing changes); `top_unbacked` counts the lines with an unbacked part among
/// the `top` lines with the largest |change| (fewer when fewer lines change). The intervention's own costs are not in it.
/// `effects_unbacked` of `effects` are the variant's effects whose value is unbacked.
struct GuessWeight {
  int variant = 0;
  double change_total = 0.0;   ///< sum of |backed part| + |unbacked part| over every line, kr.
  double change_unbacked = 0.0;
  double guessed_share = 0.0;
  int top = 0, top_unbacked = 0;
  int effects = 0, effects_unbacked = 0;
  /// The lines in order of |change| (largest first): label, change in kr., unbacked.
  struct Line {
    std::string label;
    double change = 0.0;
    bool unbacked = false;      ///< some of its months are priced at an unbacked amount
    double change_unbacked = 0.0; ///< the part of `change` in those months
  };
  std::vector<Line> lines;
};
inline constexpr int guess_weight_top_lines = 5;

/// The measure for every variant the results compared (Results::variants order); empty when
/// the results have no re-pricing tally (Results::repricing: results not built by analyse).
[[nodiscard]] std::vector<GuessWeight> guess_weights(const Results& r, Language lang);

} // namespace socinvest
