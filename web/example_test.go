package web_test

import (
	"fmt"
	"net/http/httptest"

	"argmax/web"
)

// A dashboard with a token serves the page's own files to anyone and its
// data only with the token. It reads no database here, so it lists no run.
func ExampleNew() {
	srv, err := web.New(web.Config{Token: "0123456789abcdef"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	for _, path := range []string{"/static/app.js", "/api/runs", "/api/runs?token=0123456789abcdef"} {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, rec.Code)
	}
	// Output:
	// /static/app.js 200
	// /api/runs 401
	// /api/runs?token=0123456789abcdef 200
}
