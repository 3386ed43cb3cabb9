// Command vcluster-values checks Helm values for the vCluster chart with vCluster's own code: each
// document is decoded strictly into vCluster's config.Config (unknown or mistyped fields fail) and
// every sync.toHost.pods.enforceTolerations entry is parsed by the syncer's own ParseToleration.
//
// Input (stdin): a JSON array of values documents. Output (stdout): a JSON array with one entry per
// document, the list of problems found (empty when vCluster accepts it).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/loft-sh/vcluster/config"
	"github.com/loft-sh/vcluster/pkg/util/toleration"
)

func check(doc json.RawMessage) []string {
	problems := []string{}
	cfg := &config.Config{}
	// JSON is YAML: UnmarshalYAMLStrict is what vCluster uses to read its own values.
	if err := cfg.UnmarshalYAMLStrict(doc); err != nil {
		return append(problems, fmt.Sprintf("config: %v", err))
	}
	for _, t := range cfg.Sync.ToHost.Pods.EnforceTolerations {
		if _, err := toleration.ParseToleration(t); err != nil {
			problems = append(problems, fmt.Sprintf("sync.toHost.pods.enforceTolerations %q: %v", t, err))
		}
	}
	return problems
}

func main() {
	var docs []json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		fmt.Fprintln(os.Stderr, "read stdin:", err)
		os.Exit(2)
	}
	out := make([][]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, check(d))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "write stdout:", err)
		os.Exit(2)
	}
}
