package metrics

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Context is what compile knows when it builds the metrics: the loss and the
// model's output shape. Get uses it to resolve "accuracy".
type Context struct {
	// Loss is the loss identifier, e.g. "sparse_categorical_crossentropy";
	// it may be empty.
	Loss string
	// OutputShape is one sample's output shape, without the batch axis; it
	// may be nil.
	OutputShape []int
}

// entry describes one metric Get can build.
type entry struct {
	id      string   // Keras's snake_case name, also the default Name
	aliases []string // other identifiers Keras accepts: the class name, short forms
	args    []string // keyword arguments besides name and dtype
	build   func(a args) (Metric, error)
}

var registry = []entry{
	{"binary_accuracy", []string{"BinaryAccuracy"}, []string{"threshold"}, func(a args) (Metric, error) {
		thr, err := a.float("threshold", 0.5)
		if err != nil {
			return nil, err
		}
		return NewBinaryAccuracy(thr)
	}},
	{"categorical_accuracy", []string{"CategoricalAccuracy"}, nil, func(args) (Metric, error) {
		return NewCategoricalAccuracy(), nil
	}},
	{"sparse_categorical_accuracy", []string{"SparseCategoricalAccuracy"}, nil, func(args) (Metric, error) {
		return NewSparseCategoricalAccuracy(), nil
	}},
	{"top_k_categorical_accuracy", []string{"TopKCategoricalAccuracy"}, []string{"k"}, func(a args) (Metric, error) {
		k, err := a.int("k", 5)
		if err != nil {
			return nil, err
		}
		return NewTopKCategoricalAccuracy(k)
	}},
	{"sparse_top_k_categorical_accuracy", []string{"SparseTopKCategoricalAccuracy"}, []string{"k"}, func(a args) (Metric, error) {
		k, err := a.int("k", 5)
		if err != nil {
			return nil, err
		}
		return NewSparseTopKCategoricalAccuracy(k)
	}},
	{"mean_squared_error", []string{"MeanSquaredError", "mse", "MSE"}, nil, func(args) (Metric, error) {
		return NewMeanSquaredError(), nil
	}},
	{"mean_absolute_error", []string{"MeanAbsoluteError", "mae", "MAE"}, nil, func(args) (Metric, error) {
		return NewMeanAbsoluteError(), nil
	}},
	{"precision", []string{"Precision"}, confusionArgs, func(a args) (Metric, error) {
		opts, err := a.confusionOptions()
		if err != nil {
			return nil, err
		}
		return NewPrecision(opts)
	}},
	{"recall", []string{"Recall"}, confusionArgs, func(a args) (Metric, error) {
		opts, err := a.confusionOptions()
		if err != nil {
			return nil, err
		}
		return NewRecall(opts)
	}},
	{"auc", []string{"AUC"}, []string{"num_thresholds", "curve", "summation_method", "thresholds",
		"multi_label", "num_labels", "label_weights", "from_logits"}, func(a args) (Metric, error) {
		opts, err := a.aucOptions()
		if err != nil {
			return nil, err
		}
		return NewAUC(opts)
	}},
}

// confusionArgs are Precision's and Recall's arguments; "threshold" is
// accepted as a synonym of Keras's "thresholds".
var confusionArgs = []string{"thresholds", "threshold", "top_k", "class_id"}

// Names lists the identifiers Get accepts, in a fixed order: "accuracy",
// "acc" and each metric's Keras name with its short forms (Keras class names
// such as "BinaryAccuracy" are accepted too but not listed).
func Names() []string {
	names := []string{"accuracy", "acc"}
	for _, e := range registry {
		names = append(names, e.id)
		for _, a := range e.aliases {
			if strings.ToLower(a) == a {
				names = append(names, a)
			}
		}
	}
	return names
}

// Get builds a metric from its Keras identifier and keyword arguments (nil
// for none), as keras.metrics.get and compile do. The metric's Name is id as
// given (or args["name"]). "accuracy" and "acc", in any case, stand for the
// binary, sparse categorical or categorical accuracy that fits ctx and the
// data; see AutoAccuracy. Arguments use Keras's names and defaults:
// threshold (0.5) for binary_accuracy and accuracy; k (5) for the top-k
// accuracies; thresholds (0.5), top_k and class_id for precision and recall;
// num_thresholds (200), curve ("ROC"), summation_method ("interpolation"),
// thresholds, multi_label, num_labels, label_weights and from_logits for auc.
// Every metric also takes name and dtype ("float32" or "float64"; results
// are accumulated in float64 either way), so a metric's Config passed back as
// args rebuilds it.
func Get(id string, args map[string]any, ctx Context) (Metric, error) {
	if lower := strings.ToLower(id); lower == "accuracy" || lower == "acc" {
		a, err := newArgs(id, args, []string{"threshold"})
		if err != nil {
			return nil, err
		}
		thr, err := a.float("threshold", 0.5)
		if err != nil {
			return nil, err
		}
		m, err := newAutoAccuracy(a.name, a.dtype, thr, ctx)
		if err != nil {
			return nil, renamed(err, id)
		}
		return m, nil
	}
	for _, e := range registry {
		if id != e.id && !slices.Contains(e.aliases, id) {
			continue
		}
		a, err := newArgs(id, args, e.args)
		if err != nil {
			return nil, err
		}
		m, err := e.build(a)
		if err != nil {
			return nil, renamed(err, id)
		}
		c := m.(configurable)
		c.SetName(a.name)
		c.setDType(a.dtype)
		return m, nil
	}
	return nil, fmt.Errorf("unknown metric %q; valid metrics: %s (or a Keras class name such as BinaryAccuracy)",
		id, strings.Join(Names(), ", "))
}

// configurable is what Get sets on every metric it builds.
type configurable interface {
	SetName(name string)
	setDType(dtype string)
}

// renamed makes an error from a constructor name the metric by the
// identifier the user wrote.
func renamed(err error, id string) error {
	var ae *argError
	if errors.As(err, &ae) {
		ae.metric = id
	}
	return err
}
