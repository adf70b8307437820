package autograd

import (
	"fmt"
	"io"

	"github.com/deepgo-dev/deepgo/tensor"
)

// WriteDOT writes the graph that produced root in Graphviz DOT format:
// one box per value (name or op, and shape), arrows from inputs to the op
// that used them. Call it before Backward, which releases the graph.
// Render with `dot -Tpng graph.dot -o graph.png`.
func WriteDOT(w io.Writer, root *Value) error {
	ids := map[*Value]int{}
	var order []*Value
	var visit func(v *Value)
	visit = func(v *Value) {
		if _, ok := ids[v]; ok {
			return
		}
		for _, in := range v.inputs {
			visit(in)
		}
		ids[v] = len(order)
		order = append(order, v)
	}
	visit(root)
	if _, err := fmt.Fprintln(w, "digraph G {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];"); err != nil {
		return err
	}
	for _, v := range order {
		label := v.op
		style := ""
		switch {
		case v.op == "" && v.RequiresGrad:
			label, style = v.Name, ", style=filled, fillcolor=lightblue"
		case v.op == "":
			label, style = "input", ", style=filled, fillcolor=lightgrey"
			if v.Name != "" {
				label = v.Name
			}
		}
		fmt.Fprintf(w, "  n%d [label=\"%s\\n%s\"%s];\n", ids[v], label, tensor.ShapeString(v.Shape()), style)
	}
	for _, v := range order {
		for _, in := range v.inputs {
			fmt.Fprintf(w, "  n%d -> n%d;\n", ids[in], ids[v])
		}
	}
	_, err := fmt.Fprintln(w, "}")
	return err
}
