#pragma once
// Pieces shared by the engine's HTML pages (the run report, the batch and compare reports):
// words in two languages, numbers for display, a nice axis, colours and a small SVG writer.
// Internal to engine/report/.
#include <socinvest/report/format.hpp>
#include <socinvest/report/messages.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace socinvest::html_parts {

using socinvest::T;

/// Escaped scenario text.
inline std::string E(std::string_view s) { return html_text(s); }

/// A typographic minus for display.
inline std::string display_minus(std::string s) {
  if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);
  return s;
}

/// v with `decimals` decimals, grouped thousands and the decimal mark of the language.
inline std::string number(double v, int decimals, Language lang) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "\u221e" : "\u2212\u221e";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), std::abs(v));
  std::string s = buf, ip = s, fp;
  if (auto dot = s.find('.'); dot != std::string::npos) {
    ip = s.substr(0, dot);
    fp = s.substr(dot + 1);
  }
  const char sep = lang == Language::da ? '.' : ',';
  std::string g;
  for (std::size_t i = 0; i < ip.size(); ++i) {
    if (i && (ip.size() - i) % 3 == 0) g += sep;
    g += ip[i];
  }
  if (!fp.empty()) g += (lang == Language::da ? "," : ".") + fp;
  const bool zero = s.find_first_not_of("0.") == std::string::npos;
  return (v < 0 && !zero ? "\u2212" : "") + g;
}

/// "1.234.567 kr." (da) / "1,234,567 kr." (en)
inline std::string kr(double v, Language lang) {
  if (!std::isfinite(v)) return number(v, 0, lang);
  return display_minus(grouped(v, lang)) + " kr.";
}
inline std::string kr_short(double v, Language lang) {
  if (std::isinf(v)) return number(v, 0, lang);
  return display_minus(money_short(v, lang));
}
inline std::string pct(double p, Language lang, int decimals = 0) { return display_minus(percent(p, lang, decimals)); }

inline const char* sign_class(double v) { return v < 0 ? "neg" : (v > 0 ? "pos" : ""); }

inline const char* const variant_colors[] = {"#1f5f8b", "#c0692b", "#2b7a66", "#7b5ea7", "#a8423a", "#3d8fb0", "#8c6d31", "#5c6b78"};
inline const char* const node_colors[] = {"#1f5f8b", "#c0692b", "#2b7a66", "#7b5ea7", "#a8423a", "#3d8fb0", "#8c6d31", "#5c6b78",
                                   "#4f7cac", "#d08c4f", "#5e9e86", "#9b84c4"};
inline constexpr const char* invest_color = "#c0692b";
inline constexpr const char* harvest_color = "#2b7a66";
inline constexpr const char* baseline_color = "#8a949e";

inline const char* variant_color(std::size_t k) { return variant_colors[k % (sizeof variant_colors / sizeof *variant_colors)]; }
inline const char* node_color(std::size_t k) { return node_colors[k % (sizeof node_colors / sizeof *node_colors)]; }

inline std::string f1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::isfinite(v) ? v : 0.0);
  return buf;
}

struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return d1 == d0 ? r0 : r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

/// Round [lo, hi] out to a nice step and return the ticks.
inline std::vector<double> nice_ticks(double& lo, double& hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo < 1e-12) {
    const double pad = std::abs(hi) > 0 ? std::abs(hi) * 0.1 : 1.0;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / mag;
  const double step = (norm < 1.5 ? 1.0 : norm < 3.0 ? 2.0 : norm < 7.0 ? 5.0 : 10.0) * mag;
  lo = std::floor(lo / step + 1e-9) * step;
  hi = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> t;
  const int n = static_cast<int>(std::lround((hi - lo) / step));
  for (int i = 0; i <= n; ++i) {
    const double v = lo + i * step;
    t.push_back(std::abs(v) < step * 1e-6 ? 0.0 : v);
  }
  return t;
}

/// How money is shown on an axis: divided by `div`, with `decimals`, and the unit label.
struct MoneyAxis {
  double div = 1;
  int decimals = 0;
  std::string unit;
  std::string tick(double v, Language lang) const { return number(v / div, decimals, lang); }
};

inline MoneyAxis money_axis(const std::vector<double>& ticks, Language lang) {
  double m = 0;
  for (double t : ticks) m = std::max(m, std::abs(t));
  MoneyAxis a;
  if (m >= million) {
    a.div = million;
    a.unit = millions_unit(lang);
  } else if (m >= 1e4) {
    a.div = 1e3;
    a.unit = T(lang, Msg::html_thousand_kr);
  } else {
    a.unit = "kr.";
  }
  const double step = ticks.size() > 1 ? (ticks[1] - ticks[0]) / a.div : 1.0;
  a.decimals = step >= 1 ? 0 : std::min(3, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
  return a;
}

class Svg {
public:
  Svg(const std::string& chart, double w, double h, const std::string& aria, const std::string& attrs = "")
      : w_(w), h_(h) {
    s_ = "<svg class=\"chart\" data-chart=\"" + chart + "\"" + (attrs.empty() ? "" : " " + attrs) + " viewBox=\"0 0 " +
         f1(w) + " " + f1(h) + "\" width=\"" + f1(w) + "\" height=\"" + f1(h) +
         "\" preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"" + aria +
         "\" xmlns=\"http://www.w3.org/2000/svg\">";
  }
  [[nodiscard]] double w() const { return w_; }
  [[nodiscard]] double h() const { return h_; }
  void line(double x1, double y1, double x2, double y2, const std::string& cls, const std::string& extra = "") {
    s_ += "<line";
    if (!cls.empty()) s_ += " class=\"" + cls + "\"";
    s_ += " x1=\"" + f1(x1) + "\" y1=\"" + f1(y1) + "\" x2=\"" + f1(x2) + "\" y2=\"" + f1(y2) + "\"" +
          (extra.empty() ? "" : " " + extra) + "/>";
  }
  void rect(double x, double y, double w, double h, const std::string& fill, const std::string& tip = "",
            const std::string& extra = "") {
    if (h < 0) y += h, h = -h;
    if (w < 0) x += w, w = -w;
    s_ += "<rect x=\"" + f1(x) + "\" y=\"" + f1(y) + "\" width=\"" + f1(w) + "\" height=\"" + f1(h) + "\" fill=\"" + fill +
          "\"" + (extra.empty() ? "" : " " + extra);
    s_ += tip.empty() ? "/>" : "><title>" + tip + "</title></rect>";
  }
  void path(const std::string& d, const std::string& attrs, const std::string& tip = "") {
    s_ += "<path d=\"" + d + "\" " + attrs;
    s_ += tip.empty() ? "/>" : "><title>" + tip + "</title></path>";
  }
  void circle(double x, double y, double r, const std::string& fill, const std::string& tip = "") {
    s_ += "<circle cx=\"" + f1(x) + "\" cy=\"" + f1(y) + "\" r=\"" + f1(r) + "\" fill=\"" + fill + "\"";
    s_ += tip.empty() ? "/>" : "><title>" + tip + "</title></circle>";
  }
  /// `content` must already be escaped.
  void text(double x, double y, const std::string& content, const std::string& cls = "", const char* anchor = "start",
            const std::string& extra = "") {
    s_ += "<text x=\"" + f1(x) + "\" y=\"" + f1(y) + "\"";
    if (!cls.empty()) s_ += " class=\"" + cls + "\"";
    if (std::string_view(anchor) != "start") s_ += std::string(" text-anchor=\"") + anchor + "\"";
    if (!extra.empty()) s_ += " " + extra;
    s_ += ">" + content + "</text>";
  }
  void raw(const std::string& s) { s_ += s; }
  /// A block of lines centred on y (kept within [lo, hi]): `main` lines in the normal style
  /// (escaped here), then `small` lines (already escaped) in the small style.
  void lines(double x, double y, const std::vector<std::string>& main, const std::vector<std::string>& small,
             const char* anchor, double lo, double hi) {
    const double lh = 14;
    const auto n = static_cast<double>(main.size() + small.size());
    double first = y - (n - 1) * lh / 2 + 4;
    first = std::clamp(first, lo + 12, std::max(lo + 12, hi - 4 - (n - 1) * lh));
    double at = first;
    for (const auto& m : main) text(x, at, html_text(m), "", anchor), at += lh;
    for (const auto& s : small) text(x, at, s, "small", anchor), at += lh;
  }
  std::string done() { return s_ + "</svg>"; }

private:
  std::string s_;
  double w_, h_;
};

inline std::string prob_bar(double p) {
  if (!std::isfinite(p)) return "";
  return "<span class=\"bar\"><b style=\"width:" + f1(100.0 * std::clamp(p, 0.0, 1.0)) + "%\"></b></span>";
}

/// Shortens UTF-8 text to at most `max` code points (for chart labels).
inline std::string clip(const std::string& s, std::size_t max) {
  std::size_t cps = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == max) break;
      ++cps;
    }
  }
  if (i >= s.size()) return s;
  // Leave room for the ellipsis: cut one more code point.
  std::size_t j = i;
  do { --j; } while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80);
  return s.substr(0, j) + "\u2026";
}

/// The engine's pages: the run report (report.html) and the summary pages (the batch and
/// compare reports), which need fewer rules.
enum class Page { report, summary };

/// The stylesheet of every page, one rule written once: each part says which pages use it.
struct CssPart {
  unsigned pages; ///< a bit per Page
  const char* css;
};
inline constexpr unsigned report_page = 1u << static_cast<unsigned>(Page::report);
inline constexpr unsigned summary_page = 1u << static_cast<unsigned>(Page::summary);
inline constexpr unsigned every_page = report_page | summary_page;
inline constexpr CssPart stylesheet_parts[] = {
    {every_page, R"CSS(
:root{--ink:#1c2530;--muted:#5d6b79;--faint:#8a949e;--line:#dfe4ea;--bg:#f5f6f8;--card:#fff;--accent:#1f5f8b;--neg:#a8423a;--pos:#2b7a66}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif;font-variant-numeric:tabular-nums}
main{max-width:1120px;margin:0 auto;padding:36px 28px 72px}
header.top{border-bottom:3px solid var(--ink);padding-bottom:18px;margin-bottom:8px}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 6px;font-weight:600}
h1{font-size:30px;line-height:1.2;margin:0 0 8px;font-weight:700;letter-spacing:-.01em}
h2{font-size:22px;line-height:1.25;margin:48px 0 4px;padding-top:18px;border-top:1px solid var(--line);font-weight:700}
)CSS"},
    {report_page, R"CSS(h2 .id{font-weight:600;color:var(--muted);font-size:15px;margin-left:8px}
h3{font-size:16.5px;margin:30px 0 2px;font-weight:650}
)CSS"},
    {every_page, R"CSS(p{margin:6px 0 10px;max-width:78ch}
)CSS"},
    {report_page, R"CSS(.lead{font-size:16px;color:#33404d;max-width:80ch}
)CSS"},
    {every_page, R"CSS(.meta{font-size:13px;color:var(--muted);margin-top:10px}
.meta span+span:before{content:"\00b7";margin:0 8px;color:var(--faint)}
.sub{color:var(--muted);font-size:14px;margin:0 0 10px}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin:16px 0 6px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px 12px}
.card.main{border-top:4px solid var(--accent)}
.card .k{font-size:12px;letter-spacing:.05em;text-transform:uppercase;color:var(--muted);font-weight:600}
.card .v{font-size:26px;font-weight:700;margin:4px 0 2px;white-space:nowrap;letter-spacing:-.01em}
.card .v.txt{font-size:19px;white-space:normal;line-height:1.25;margin:8px 0 6px}
.card .i{font-size:13px;color:var(--muted)}
)CSS"},
    {report_page, R"CSS(table.overview td:first-child{min-width:220px}
td.own b{font-size:17px;letter-spacing:-.01em}
td.n .note{white-space:normal}
th.own{color:var(--ink)}
td.wide{min-width:230px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
)CSS"},
    // figures, charts and legends
    {every_page, R"CSS(.neg{color:var(--neg)}.pos{color:var(--pos)}
figure{margin:14px 0 0;overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:16px 18px 12px}
figcaption{margin-bottom:8px}
figcaption .t{display:block;font-weight:650;font-size:15px}
figcaption .d{display:block;color:var(--muted);font-size:13px}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg.chart text{font-size:12px;fill:var(--ink)}
svg.chart .tick{fill:var(--muted);font-size:11px}
svg.chart .unit{fill:var(--muted);font-size:11px;font-weight:600}
svg.chart .small{font-size:11px;fill:var(--muted)}
svg.chart .strong{font-weight:650}
svg.chart .grid{stroke:#e9edf1;stroke-width:1}
svg.chart .axis{stroke:#a3adb8;stroke-width:1}
svg.chart .zero{stroke:#4a5562;stroke-width:1.3}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;color:var(--muted);margin:0 0 6px}
.legend i{display:inline-block;width:14px;height:10px;border-radius:2px;margin-right:6px}
)CSS"},
    {report_page, R"CSS(.legend i.ln{height:3px;border-radius:0;vertical-align:middle}
.legend i.dash{height:0;border-top:2px dashed #8a949e;background:none!important;vertical-align:middle}
)CSS"},
    {summary_page, R"CSS(.legend i.dot{width:9px;height:9px;border-radius:50%}
.legend i.tk{width:2px;height:8px;border-radius:0}
)CSS"},
    {every_page, R"CSS(.legend i.band{opacity:.35}
)CSS"},
    {report_page, R"CSS(.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:14px}
.grid2 figure{margin-top:0}
)CSS"},
    // A box that scrolls sideways (a wide table, a chart on a phone) shows a shadow at the
    // edge where more is hidden: white covers that move with the content (local) over
    // shadows fixed to the box's edges (scroll), so the cue needs no script.
    {every_page, R"CSS(.scroll{overflow-x:auto;margin-top:10px}
.scroll,figure{background-color:var(--card);background-image:linear-gradient(to right,var(--card) 40%,rgba(255,255,255,0)),linear-gradient(to left,var(--card) 40%,rgba(255,255,255,0)),radial-gradient(farthest-side at 0 50%,rgba(28,37,48,.28),rgba(28,37,48,0)),radial-gradient(farthest-side at 100% 50%,rgba(28,37,48,.28),rgba(28,37,48,0));background-position:left center,right center,left center,right center;background-size:36px 100%,36px 100%,14px 100%,14px 100%;background-repeat:no-repeat;background-attachment:local,local,scroll,scroll}
.scroll>table{background:transparent}
table{border-collapse:collapse;width:100%;font-size:13.5px;background:var(--card);border:1px solid var(--line);border-radius:8px}
caption{text-align:left;font-weight:650;padding:0 0 6px;font-size:15px}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-weight:600;color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.04em;background:#fafbfc}
tbody tr:last-child td{border-bottom:0}
)CSS"},
    {report_page, R"CSS(tr.total td{font-weight:650;background:#fafbfc}
)CSS"},
    {every_page, R"CSS(td.n,th.n{text-align:right;white-space:nowrap}
thead th.n{white-space:normal}
)CSS"},
    {report_page, R"CSS(td.code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
td.tech,th.tech{font-size:10.5px;color:var(--muted)}
.guess{color:#8a4b00;font-weight:600}
.print-only{display:none}
)CSS"},
    {every_page, R"CSS(.bar{display:inline-block;height:8px;background:#e9edf1;border-radius:4px;width:70px;vertical-align:middle;margin-right:8px;overflow:hidden}
.bar b{display:block;height:100%;background:var(--accent)}
.note{font-size:12.5px;color:var(--muted);margin:8px 0 0}
.callout{background:#fff;border-left:4px solid var(--accent);padding:10px 14px;margin:14px 0;font-size:14px}
)CSS"},
    {report_page, R"CSS(nav.toc{font-size:13.5px;margin:14px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px}
nav.toc a{color:var(--accent);text-decoration:none;white-space:nowrap}
)CSS"},
    {every_page, R"CSS(footer{margin-top:48px;font-size:12px;color:var(--muted);border-top:1px solid var(--line);padding-top:12px}
@media (max-width:860px){.cards{grid-template-columns:repeat(2,1fr)}}
@media (max-width:640px){svg.chart{min-width:600px})CSS"},
    {report_page, R"CSS(svg.chart[data-chart="outcomes"]{min-width:340px})CSS"},
    {every_page, R"CSS(
main{padding:20px 14px 48px}.cards{grid-template-columns:1fr}h1{font-size:24px}.card .v{font-size:22px})CSS"},
    {report_page, R"CSS(.grid2{grid-template-columns:1fr}table.overview td:first-child{min-width:140px}td.own b{font-size:16px})CSS"},
    {every_page, R"CSS(}
@media print{
  @page{size:A4;margin:14mm 12mm}
  body{background:#fff;font-size:10.5pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  main{max-width:none;padding:0}
)CSS"},
    // Each variant starts a page; the closing sections follow on (no page for a short one).
    {report_page, R"CSS(  section.variant>h2{break-before:page;border-top:0;margin-top:0}
  h2 .id{font-size:10pt}
  .cards{grid-template-columns:repeat(4,1fr);gap:6px}
  .card{padding:6px 8px}
  .card .v{font-size:15pt}
  .card .v.txt{font-size:11pt}
)CSS"},
    // Headings, the line under them, captions and legends stay with what follows; a chart,
    // a card, a callout or a short table is never cut.
    {every_page, R"CSS(  h2{margin-top:18px}
  h1,h2,h3,h4,caption,figcaption,.legend,.sub{break-after:avoid}
  figure{overflow:visible;background:none;padding:8px 10px 6px}
  .scroll{background:none}
  figure,.card,.cards,tr,.callout,svg.chart{break-inside:avoid}
  table{break-inside:avoid}
  figure,.card,table{border-color:#c9d0d7}
)CSS"},
    {report_page, R"CSS(  nav.toc{display:none}
)CSS"},
    {every_page, R"CSS(  .scroll{overflow:visible}
  table{font-size:8.5pt}
  th,td{padding:4px 6px}
  td.n{white-space:normal}
)CSS"},
    {report_page, R"CSS(  table.overview td:first-child{min-width:0}
  td.wide{min-width:0}
  #assumptions table{break-inside:auto;font-size:7pt}
  #assumptions th,#assumptions td{padding:1px 3px}
  #assumptions td{line-height:1.2}
  #assumptions .tech{display:none}
  #assumptions table.assumptions{font-size:6.5pt;border:0}
  #assumptions table.assumptions .note{font-size:6pt;margin:0}
)CSS"},
    // The assumptions on paper as a list, one row a paragraph: "what: value · unit · price
    // year · source", the header in the same form, a continued line indented. In columns
    // (issue 14) most of the 152 Aarhus rows took two to four lines, the text held in narrow
    // cells with the rest of the row empty; run on, most take one or two (Aarhus 17 -> 16
    // pages). Empty cells and the hidden key path get no separator; a line break inside a
    // cell runs on too ("assumption (no source): the rest of its text", "2024 (given in 2025
    // prices)").
    {report_page, R"CSS(  #assumptions table.assumptions,#assumptions table.assumptions thead,#assumptions table.assumptions tbody{display:block}
  #assumptions table.assumptions tr{display:block;padding:0.4px 0 0.4px 1.5em;text-indent:-1.5em;border-bottom:0.5px solid #dde2e7;line-height:1.15}
  #assumptions table.assumptions td,#assumptions table.assumptions th{display:inline;padding:0;border:0;text-indent:0}
  #assumptions table.assumptions td:empty,#assumptions table.assumptions .tech{display:none}
  #assumptions table.assumptions tr>:first-child::after{content:": "}
  #assumptions table.assumptions tr>:nth-child(n+3):not(:empty)::before{content:" \00b7  "}
  #assumptions table.assumptions td:nth-child(2){font-weight:600}
  #assumptions table.assumptions td br{display:none}
  #assumptions table.assumptions td .guess:not(:last-child)::after{content:": "}
  #assumptions table.assumptions td br+.note::before{content:" ("}
  #assumptions table.assumptions td br+.note::after{content:")"}
  #assumptions .evidence{font-size:8pt}
  .print-only{display:block}
  #manifest table{font-size:7.5pt}
  details{display:none}
)CSS"},
    // The manifest and the run's settings on paper as "what: value" lines in two columns
    // (issue 14: the manifest's fourteen rows, most of them short, spilled onto a page of
    // their own; Viborg 16 -> 15 pages).
    {report_page, R"CSS(  #manifest table,#manifest tbody,table.settings,table.settings tbody{display:block;border:0}
  table.settings thead{display:none}
  #manifest tbody,table.settings tbody{columns:2;column-gap:12px}
  #manifest tr,table.settings tr{display:block;break-inside:avoid;padding:0.3px 0;border-bottom:0.5px solid #dde2e7;line-height:1.15}
  #manifest table,#manifest td.code,table.settings{font-size:6.5pt}
  #manifest h2{margin:6px 0 1px;font-size:11pt}
  #manifest p.sub{margin:0 0 2px;font-size:6.5pt}
  #manifest th,#manifest td,table.settings td{display:inline;padding:0;border:0;background:none}
  #manifest th::after,table.settings td:first-child::after{content:": "}
  table.settings td:first-child{font-weight:600}
  #manifest td.code{word-break:break-all}
  footer{margin-top:4px;padding-top:2px;font-size:6.5pt}
)CSS"},
    {every_page, R"CSS(  a{color:inherit;text-decoration:none}
)CSS"},
    {report_page, R"CSS(  .grid2{grid-template-columns:1fr 1fr}
)CSS"},
    // A compact paper copy (issue 14: the Aarhus case printed 31 pages): smaller type,
    // charts at most 62 mm high, the outcome charts four to a row, long tables continued on
    // the next page (rows whole, the header repeated), amounts on one line.
    {report_page, R"CSS(  body{font-size:8.5pt}
  h1{font-size:17pt}
  h2{font-size:13pt;margin:10px 0 4px}
  h3{font-size:10.5pt;margin:8px 0 2px}
  svg.chart{max-height:62mm;width:auto;max-width:100%;height:auto}
  .grid2{grid-template-columns:repeat(4,1fr);gap:4px}
  .grid2 figure{padding:2px}
  .grid2 svg.chart{max-height:38mm}
  figure{padding:4px 6px 3px;margin:6px 0}
  table{font-size:7pt;break-inside:auto}
  th,td{padding:1.5px 4px}
  thead th{font-size:6.5pt}
  td.n{white-space:nowrap}
  .sub,.note,.legend{font-size:7.5pt}
  .card{padding:4px 6px}
  .card .v{font-size:12pt}
  .card .v.txt{font-size:10pt}
  .card .k,.card .i{font-size:7pt}
  .callout{padding:4px 8px;margin:6px 0;font-size:8pt}
)CSS"},
    // A variant in three pages, not four (issue 14: Aarhus printed 20 pages, 17 with this):
    // the cards in one row of eight; where the savings land and how sure the result is side
    // by side (each chart is narrower than the page); charts lower; the small outcome charts
    // in one row; the department table's intervals may wrap; wide tables continue on the
    // next page (a .scroll box must not clip them: its overflow stays visible).
    {report_page, R"CSS(  section.variant .cards{grid-template-columns:repeat(8,minmax(0,1fr));gap:3px}
  section.variant .card{padding:3px 4px;min-width:0}
  section.variant .card .v{font-size:9.5pt;white-space:normal}
  section.variant .card .v.txt{font-size:8pt}
  section.variant .card .k,section.variant .card .i{font-size:6pt;letter-spacing:0}
  section.variant figure.flows,section.variant figure.spread{display:inline-block;vertical-align:top;width:calc(50% - 5px);margin:4px 0}
  section.variant figure.flows{margin-right:4px}
  figure.by-department+div.scroll td.n{white-space:normal}
  section.variant .bar{width:36px}
  svg.chart{max-height:44mm}
  section.variant p.note{margin:2px 0 0}
  div.scroll{overflow:visible!important;break-inside:auto}
  section.variant .grid2{grid-template-columns:repeat(auto-fill,minmax(88px,1fr));gap:3px}
  section.variant .grid2 svg.chart{max-height:27mm}
  section.variant .grid2 figcaption .t{font-size:7pt}
  section.variant .grid2 figcaption .d{font-size:6pt}
)CSS"},
    // Tighter lines in the variant's tables and the manifest, and chart titles in the body's
    // scale (issue 14: a chart title was 15 px on paper, larger than the h3 above it): the
    // department table then fits the variant's second page.
    {report_page, R"CSS(  section.variant td,section.variant th,#manifest td,#manifest th{line-height:1.3}
  #manifest th,#manifest td{padding:1px 4px}
  figcaption{margin-bottom:3px}
  figcaption .t{font-size:9.5pt}
  figcaption .d{font-size:7.5pt}
  section.variant .sub{line-height:1.35}
)CSS"},
    {every_page, R"CSS(}
)CSS"},
};

/// The stylesheet of `page`: its parts in order.
inline std::string stylesheet(Page page) {
  std::string css;
  for (const CssPart& part : stylesheet_parts)
    if (part.pages & (1u << static_cast<unsigned>(page))) css += part.css;
  return css;
}

/// Every page's head, from the doctype to the opening <main>: the document's language, the
/// phone viewport, the engine version that wrote it and the page's stylesheet, written once.
inline std::string page_head(std::string_view title, Language lang, std::string_view version, std::string_view css) {
  std::string o = "<!DOCTYPE html>\n<html lang=\"";
  o += lang == Language::da ? "da" : "en";
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<meta name=\"generator\" content=\"socinvest " + E(version) + "\">\n";
  o += "<title>" + E(title) + "</title>\n<style>";
  o += css;
  o += "</style>\n</head>\n<body>\n<main>\n";
  return o;
}

/// A headline card: a key, a large value (with class `cls`) and a line under it.
inline std::string card(const std::string& key, const std::string& value, const std::string& cls, const std::string& sub,
                        bool main = false) {
  return "<div class=\"card" + std::string(main ? " main" : "") + "\"><div class=\"k\">" + key + "</div><div class=\"v " +
         cls + "\">" + value + "</div><div class=\"i\">" + sub + "</div></div>\n";
}

} // namespace socinvest::html_parts
