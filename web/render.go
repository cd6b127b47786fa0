package web

import (
	"bytes"
	"html/template"
	"strings"

	"argmax/lab/report"
)

// fragmentTmpl renders a report inside the page: its meta lines, intro,
// headline tables and sections, each chart as inline SVG (lab/report
// draws it).
var fragmentTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"paragraphs": paragraphs,
	"svg":        func(c report.Chart) template.HTML { return template.HTML(c.SVG()) }, // lab/report escapes every text it draws
	"verdict":    verdictClass,
	"lines":      func(s string) []string { return strings.Split(s, "\n") },
}).Parse(`{{define "table"}}<table>{{with .Caption}}<caption>{{.}}</caption>{{end}}
{{- if .Header}}<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>{{end}}<tbody>
{{- range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row" class="{{verdict $c}}">{{$c}}</th>{{else}}<td class="{{verdict $c}}">{{range $j, $l := lines $c}}{{if $j}}<br>{{end}}{{$l}}{{end}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table>{{with .Note}}<p class="note">{{.}}</p>{{end}}
{{end}}<div class="report">
{{- if .Meta}}<dl class="meta">{{range .Meta}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>{{end}}
{{- range paragraphs .Intro}}<p>{{.}}</p>{{end}}
{{- range .Tables}}{{template "table" .}}{{end}}
{{- range .Sections}}<details class="section" open><summary>{{.Title}}</summary>
{{- range paragraphs .Text}}<p>{{.}}</p>{{end}}
{{- range .Charts}}<figure>{{svg .}}{{with .Caption}}<figcaption>{{.}}</figcaption>{{end}}</figure>{{end}}
{{- range .Tables}}{{template "table" .}}{{end}}</details>
{{end}}</div>
`))

// fragment renders rep as an HTML fragment for the page.
func fragment(rep *report.Report) []byte {
	var b bytes.Buffer
	if err := fragmentTmpl.Execute(&b, rep); err != nil {
		// The template is fixed and its data plain values: a failure is a bug.
		panic("web: report fragment: " + err.Error())
	}
	return b.Bytes()
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// verdictClass colours a table cell by the verdict it starts with, as the
// HTML report does.
func verdictClass(cell string) string {
	switch {
	case strings.HasPrefix(cell, "holds"):
		return "holds"
	case strings.HasPrefix(cell, "does not hold"):
		return "fails"
	case strings.HasPrefix(cell, "inconclusive"), strings.HasPrefix(cell, "not measured"):
		return "open"
	}
	return ""
}
