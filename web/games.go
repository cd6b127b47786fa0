package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxGames bounds the game records listed.
const maxGames = 1000

// gameFile is a game record found in the game folders.
type gameFile struct {
	ID     string `json:"id"` // a hash of the path: the only way to ask for the file
	Name   string `json:"name"`
	Title  string `json:"title,omitempty"`
	Game   string `json:"game,omitempty"`
	Moves  int    `json:"moves"`
	Result string `json:"result,omitempty"`
	Error  string `json:"error,omitempty"` // why the file is not a valid record
	path   string
}

// gameFiles lists the records of the configured folders and files: a
// folder's *.game.json files and those of its games/ subfolder, sorted by
// name within each folder.
func (s *Server) gameFiles() []gameFile {
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] && len(paths) < maxGames {
			seen[abs] = true
			paths = append(paths, abs)
		}
	}
	for _, g := range s.cfg.Games {
		fi, err := os.Stat(g)
		switch {
		case err != nil:
			continue
		case !fi.IsDir():
			add(g)
			continue
		}
		for _, dir := range []string{g, filepath.Join(g, "games")} {
			matches, _ := filepath.Glob(filepath.Join(dir, "*"+RecordExt))
			sort.Strings(matches)
			for _, m := range matches {
				add(m)
			}
		}
	}
	out := make([]gameFile, 0, len(paths))
	for _, p := range paths {
		h := sha256.Sum256([]byte(p))
		out = append(out, gameFile{ID: hex.EncodeToString(h[:6]), Name: strings.TrimSuffix(filepath.Base(p), RecordExt), path: p})
	}
	return out
}

// listGames answers /api/games: the records found, each with its game,
// length and result, or why it cannot be shown.
func (s *Server) listGames(w http.ResponseWriter, r *http.Request) {
	files := s.gameFiles()
	for i := range files {
		f := &files[i]
		rec, err := ReadRecordFile(f.path)
		if err != nil {
			f.Error = strings.TrimPrefix(err.Error(), f.path+": ")
			continue
		}
		f.Title, f.Game, f.Moves, f.Result = rec.Title, rec.Game, len(rec.Moves), rec.Result
	}
	s.writeJSON(w, r, files)
}

// game answers /api/games/{id}: the record the listing gave that id.
func (s *Server) game(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	for _, f := range s.gameFiles() {
		if f.ID != id {
			continue
		}
		rec, err := ReadRecordFile(f.path)
		if err != nil {
			http.Error(w, strings.TrimPrefix(err.Error(), f.path+": "), http.StatusUnprocessableEntity)
			return
		}
		s.writeJSON(w, r, rec)
		return
	}
	http.Error(w, "no such game record", http.StatusNotFound)
}
