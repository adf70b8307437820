package spec

import "testing"

func TestSnakeCase(t *testing.T) {
	// Unless marked, the wants are what Keras's to_snake_case
	// (keras/src/utils/naming.py) returns, checked by running it in Python 3.
	tests := []struct{ in, want string }{
		{"Dense", "dense"},
		{"dense", "dense"},
		{"BatchNormalization", "batch_normalization"},
		{"MaxPooling2D", "max_pooling2d"},
		{"max_pooling2d", "max_pooling2d"},
		{"Conv2D", "conv2d"},
		{"Conv2DTranspose", "conv2d_transpose"},
		{"GlobalAveragePooling1D", "global_average_pooling1d"},
		{"SimpleRNN", "simple_rnn"},
		{"LSTM", "lstm"},
		{"GRU", "gru"},
		{"ELU", "elu"},
		{"UpSampling2D", "up_sampling2d"},
		{"ConvLSTM2D", "conv_lstm2d"},
		{"TextVectorization", "text_vectorization"},
		{"SparseCategoricalCrossentropy", "sparse_categorical_crossentropy"},
		{"SGD", "sgd"},
		{"AUC", "auc"},
		{"MeanIoU", "mean_io_u"},
		{"HTTPServer2Go", "http_server2_go"},
		{"Max-Pool 2D", "max_pool2d"},
		{"CaféLatte", "café_latte"},
		{"already_snake_Case", "already_snake__case"},
		// The alias table: Keras gives re_lu, leaky_re_lu, p_re_lu, rm_sprop
		// and adam_w; deepgo uses the names Keras users type.
		{"ReLU", "relu"},
		{"LeakyReLU", "leaky_relu"},
		{"leaky_re_lu", "leaky_relu"},
		{"PReLU", "prelu"},
		{"RMSprop", "rmsprop"},
		{"AdamW", "adamw"},
	}
	for _, tt := range tests {
		if got := SnakeCase(tt.in); got != tt.want {
			t.Errorf("SnakeCase(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int // counted by hand
	}{
		{"", "", 0},
		{"units", "units", 0},
		{"unit", "units", 1},
		{"untis", "units", 2},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
