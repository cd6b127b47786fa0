// Package report renders lab results as one self-contained HTML file: text,
// tables and hand-drawn SVG charts (lines with 95% confidence bands over
// seeds, linear or logarithmic axes, dashed fitted curves). The file needs
// no network and no script to view: everything is inline.
package report

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Report is a whole page.
type Report struct {
	Title    string
	Intro    string      // paragraphs separated by blank lines
	Meta     [][2]string // label/value lines shown under the title
	Tables   []Table     // headline tables, before the sections
	Sections []Section
}

// Section is one titled part of the report, typically one claim or one
// experiment.
type Section struct {
	ID     string // anchor; derived from Title when empty
	Title  string
	Text   string // paragraphs separated by blank lines
	Tables []Table
	Charts []Chart
}

// Table is a captioned table of text cells. The first row of Rows follows
// Header; cells may be empty.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Note    string // a line under the table
}

// WriteHTML writes the report as a complete HTML document.
func (r *Report) WriteHTML(w io.Writer) error {
	var b bytes.Buffer
	e := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", e(r.Title), css)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", e(r.Title))
	if len(r.Meta) > 0 {
		b.WriteString("<dl class=\"meta\">")
		for _, m := range r.Meta {
			fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>", e(m[0]), e(m[1]))
		}
		b.WriteString("</dl>\n")
	}
	paragraphs(&b, r.Intro)
	for i := range r.Tables {
		writeTable(&b, &r.Tables[i])
	}
	if len(r.Sections) > 1 {
		b.WriteString("<nav><h2>Contents</h2><ol>")
		for i := range r.Sections {
			s := &r.Sections[i]
			fmt.Fprintf(&b, "<li><a href=\"#%s\">%s</a></li>", e(sectionID(s, i)), e(s.Title))
		}
		b.WriteString("</ol></nav>\n")
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		fmt.Fprintf(&b, "<section id=\"%s\">\n<h2>%s</h2>\n", e(sectionID(s, i)), e(s.Title))
		paragraphs(&b, s.Text)
		for j := range s.Charts {
			b.WriteString(s.Charts[j].figure())
		}
		for j := range s.Tables {
			writeTable(&b, &s.Tables[j])
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</main>\n</body>\n</html>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteFile writes the report to path atomically: to a temporary file in
// the same directory, then renamed, so a reader never sees half a report.
func (r *Report) WriteFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	f, err := os.CreateTemp(dir, ".report-*.html")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	tmp := f.Name()
	if err := r.WriteHTML(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("report %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}

// NumCharts returns the number of charts in the report.
func (r *Report) NumCharts() int {
	n := 0
	for _, s := range r.Sections {
		n += len(s.Charts)
	}
	return n
}

func sectionID(s *Section, i int) string {
	if s.ID != "" {
		return s.ID
	}
	var b strings.Builder
	for _, c := range strings.ToLower(s.Title) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = fmt.Sprintf("section-%d", i+1)
	}
	return id
}

func paragraphs(b *bytes.Buffer, text string) {
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			fmt.Fprintf(b, "<p>%s</p>\n", html.EscapeString(p))
		}
	}
}

func writeTable(b *bytes.Buffer, t *Table) {
	e := html.EscapeString
	b.WriteString("<table>\n")
	if t.Caption != "" {
		fmt.Fprintf(b, "<caption>%s</caption>\n", e(t.Caption))
	}
	if len(t.Header) > 0 {
		b.WriteString("<thead><tr>")
		for _, h := range t.Header {
			fmt.Fprintf(b, "<th>%s</th>", e(h))
		}
		b.WriteString("</tr></thead>\n")
	}
	b.WriteString("<tbody>\n")
	for _, row := range t.Rows {
		b.WriteString("<tr>")
		for i, c := range row {
			class := ""
			switch {
			case strings.HasPrefix(c, "holds"):
				class = " class=\"holds\""
			case strings.HasPrefix(c, "does not hold"):
				class = " class=\"fails\""
			case strings.HasPrefix(c, "inconclusive"), strings.HasPrefix(c, "not measured"):
				class = " class=\"open\""
			}
			if i == 0 {
				fmt.Fprintf(b, "<th scope=\"row\"%s>%s</th>", class, e(c))
			} else {
				fmt.Fprintf(b, "<td%s>%s</td>", class, strings.ReplaceAll(e(c), "\n", "<br>"))
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	if t.Note != "" {
		fmt.Fprintf(b, "<p class=\"note\">%s</p>\n", e(t.Note))
	}
}

const css = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#fafbfc;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:1.7em;margin:.2em 0 .4em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #dde1e6;padding-bottom:.2em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;color:#4a5366;font-size:.9em}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
table{border-collapse:collapse;margin:1em 0;background:#fff;font-size:.92em}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #dde1e6;padding:5px 9px;text-align:left;vertical-align:top}
thead th{background:#eef1f5}
.holds{background:#e6f4ea}.fails{background:#fce8e6}.open{background:#fef7e0}
p.note{font-size:.85em;color:#5b6475;margin-top:-.5em}
figure{margin:1.2em 0;background:#fff;border:1px solid #dde1e6;padding:8px;display:inline-block}
figcaption{font-size:.85em;color:#4a5366;max-width:860px}
svg.chart text{font:12px system-ui,sans-serif;fill:#1d2330}
svg.chart .title{font-weight:600;font-size:13px}
svg.chart .grid{stroke:#e6e9ee;stroke-width:1}
svg.chart .axis{stroke:#4a5366;stroke-width:1}
nav ol{columns:2}
`
