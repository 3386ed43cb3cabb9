// Command aso-objects checks Azure Service Operator v2 objects with ASO's own Go types: each object
// is decoded strictly into the type its apiVersion and kind name, from
// github.com/Azure/azure-service-operator/v2/api, the way the API server decodes custom resources
// (sigs.k8s.io/json: unknown, duplicate or differently cased fields fail, as do wrong types).
//
// Input (stdin): a JSON array of objects. Output (stdout): a JSON array with one entry per object,
// the list of problems found (empty when ASO's types accept it).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	containerservice "github.com/Azure/azure-service-operator/v2/api/containerservice/v1api20240901"
	resources "github.com/Azure/azure-service-operator/v2/api/resources/v1api20200601"
	sigsjson "sigs.k8s.io/json"
)

func target(apiVersion, kind string) any {
	switch apiVersion + "/" + kind {
	case "containerservice.azure.com/v1api20240901/ManagedCluster":
		return &containerservice.ManagedCluster{}
	case "containerservice.azure.com/v1api20240901/ManagedClustersAgentPool":
		return &containerservice.ManagedClustersAgentPool{}
	case "resources.azure.com/v1api20200601/ResourceGroup":
		return &resources.ResourceGroup{}
	}
	return nil
}

func check(doc json.RawMessage) []string {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return []string{err.Error()}
	}
	t := target(head.APIVersion, head.Kind)
	if t == nil {
		return []string{fmt.Sprintf("no ASO type for %s %s here", head.APIVersion, head.Kind)}
	}
	strict, err := sigsjson.UnmarshalStrict(doc, t, sigsjson.DisallowUnknownFields)
	if err != nil {
		return []string{err.Error()}
	}
	problems := []string{}
	for _, e := range strict {
		problems = append(problems, e.Error())
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
