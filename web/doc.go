// Package web is the dashboard served by `argmax serve`: a read-only view
// of a results database and of game records, a face over lab like the
// command line. It shows the experiments (runs of specs) and their trials,
// follows the progress of running ones live (server-sent events), renders
// each run's comparison table and charts server-side (the claims' table
// for a claim-suite spec, lab.SpecReport's otherwise), plots a trial's
// metrics over steps with the mean and 95% band over the seeds of its
// parameter point, and replays games move by move with the search's visit
// shares and the net's prior (Record; RecordTraining writes one per
// iteration of `argmax train alphazero`).
//
// The page is plain HTML, CSS and JavaScript embedded in the binary; it
// requests nothing but the server's own API. The server only reads: it
// answers GET and HEAD, refuses request bodies, long URLs and paths that
// leave the served names, serves files only from its embedded folder or by
// an id it listed itself, limits the request rate of each client, and
// with a token set (required off loopback) refuses every request for data
// that does not carry it (?token= or Authorization: Bearer).
//
// Endpoints, all GET:
//
//	/                                  the page
//	/static/{file}                     its script and style sheet
//	/api/runs                          the runs: spec, scale, seed, trials planned and done, provenance
//	/api/runs/{id}/report              the run's tables and SVG charts, an HTML fragment
//	/api/runs/{id}/trials              the run's stored trials with their final metrics
//	/api/trials/{key}                  one trial: parameters, every metric, artefacts
//	/api/trials/{key}/curves           its metrics over steps beside the seeds' mean and band, an HTML fragment
//	/api/trials/{key}/artefacts/{name} one of its artefact files
//	/api/events                        server-sent events: progress of every run, newest finished trials
//	/api/games                         the game records found
//	/api/games/{id}                    one game record (Record)
package web
