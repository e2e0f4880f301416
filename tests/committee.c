/* The committee of chapter 5: a round trip through its model file, its vote
   (the vote-weighted mean of its members' probabilities), its accuracy over a
   set, and committee files that are not what they claim, refused in one line. */
#include "tap.h"
#include "committee.h"
#include "model.h"
#include "util.h"
#include <stdint.h>
#include <unistd.h>

static char dir[] = "/tmp/digits-committee-test.XXXXXX";

static const char *tmp(const char *name)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

/* A committee of n small random networks with votes 1, 2, 0.5, ... */
static Committee *random_committee(int n)
{
	Committee *c = xcalloc(1, sizeof *c);
	for (int i = 0; i < n; i++) {
		Rng r;
		rng_seed(&r, 100 + (uint64_t)i);
		c->member[i] = cnn_new(3, 4, 5, 8);
		cnn_init(c->member[i], &r);
		c->vote[i] = i % 3 == 0 ? 1.0f : i % 3 == 1 ? 2.0f : 0.5f;
		c->n = i + 1;
	}
	return c;
}

/* Save mf to name in the test's folder and load it back as any model. */
static Model *save_and_load(ModelFile *mf, const char *name, char *err)
{
	if (mf_save(mf, tmp(name), err) < 0)
		return NULL;
	return model_load(tmp(name), err);
}

/* The largest difference between the committee's scores for x and the
   vote-weighted mean of its members' own. */
static double vote_error(const Committee *c, const Model *m, const float *x)
{
	float got[MNIST_CLASSES], p[MNIST_CLASSES];
	double want[MNIST_CLASSES] = { 0 }, votes = 0, worst = 0;
	model_predict(m, x, got);
	for (int i = 0; i < c->n; i++) {
		cnn_predict(c->member[i], x, p);
		votes += c->vote[i];
		for (int d = 0; d < MNIST_CLASSES; d++)
			want[d] += c->vote[i] * p[d];
	}
	for (int d = 0; d < MNIST_CLASSES; d++)
		worst = fmax(worst, fabs(got[d] - want[d] / votes));
	return worst;
}

static void member_predict(const void *net, const float *x, float *scores)
{
	cnn_predict(net, x, scores);
}

static int one_line(const char *s)
{
	return s[0] && !strchr(s, '\n');
}

/* A committee file edited by edit, loaded: NULL expected, the message in err. */
static Model *edited(void (*edit)(ModelFile *), const char *name, char *err)
{
	Committee *c = random_committee(2);
	ModelFile *mf = committee_to_file(c);
	edit(mf);
	Model *m = save_and_load(mf, name, err);
	mf_free(mf);
	committee_free(c);
	return m;
}

static void drop_member_tensor(ModelFile *mf)
{
	for (int i = 0; i < mf->ntensors; i++)
		if (strcmp(mf->tensors[i].name, "m1.conv2.b") == 0)
			strcpy(mf->tensors[i].name, "m1.conv2.x");
}

static void negative_vote(ModelFile *mf)
{
	((float *)mf_tensor(mf, "votes")->data)[1] = -1;
}

/* One vote more than a committee holds. */
static void too_many_votes(ModelFile *mf)
{
	for (int i = 0; i < mf->ntensors; i++)
		if (strcmp(mf->tensors[i].name, "votes") == 0) {
			free(mf->tensors[i].data);
			mf->tensors[i].data = xcalloc(COMMITTEE_MAX + 1, sizeof(float));
			mf->tensors[i].shape[0] = COMMITTEE_MAX + 1;
			mf->tensors[i].size = COMMITTEE_MAX + 1;
		}
}

static void wrong_kernel(ModelFile *mf)
{
	for (int i = 0; i < mf->ntensors; i++)
		if (strcmp(mf->tensors[i].name, "m0.conv2.W") == 0)
			mf->tensors[i].shape[1] = 2, mf->tensors[i].shape[0] = 6;
}

static void sigmoid_members(ModelFile *mf)
{
	mf_set(mf, "hidden", "sigmoid");
}

int main(void)
{
	plan(14);
	if (!mkdtemp(dir))
		skip_all("cannot make a temporary folder");
	char err[ERR_LEN] = "";
	Committee *c = random_committee(3);
	ModelFile *mf = committee_to_file(c);
	Model *m = save_and_load(mf, "three.model", err);
	mf_free(mf);
	if (!ok(m != NULL, "a committee of three saved and loaded back"))
		diag("%s", err);
	if (!m)
		return done_testing();
	ok(model_kind(m) == &committee_kind && committee_kind.chapter == 5,
	   "its kind is committee, of chapter 5");
	const Committee *back = model_net(m);
	ok(back->n == 3 && back->vote[0] == 1 && back->vote[1] == 2 && back->vote[2] == 0.5f,
	   "three members with their votes 1, 2, 0.5 come back");
	int same = back->n == 3;
	for (int i = 0; same && i < 3; i++)
		same = memcmp(back->member[i]->conv->params, c->member[i]->conv->params,
		              sizeof(float) * c->member[i]->conv->nparams) == 0 &&
		       memcmp(back->member[i]->head->p->params, c->member[i]->head->p->params,
		              sizeof(float) * c->member[i]->head->p->nparams) == 0;
	ok(same, "every member's parameters come back bit for bit");

	enum { N = 40 };
	float *x = xmalloc(sizeof(float) * N * MNIST_PIXELS);
	unsigned char y[N];
	Rng r;
	rng_seed(&r, 7);
	for (int i = 0; i < N * MNIST_PIXELS; i++)
		x[i] = (float)rng_uniform(&r);
	for (int i = 0; i < N; i++)
		y[i] = (unsigned char)rng_int(&r, MNIST_CLASSES);
	double worst = 0;
	for (int i = 0; i < N; i++)
		worst = fmax(worst, vote_error(c, m, x + (size_t)i * MNIST_PIXELS));
	if (!ok(worst < 1e-6, "predict is the vote-weighted mean of the members' probabilities"))
		diag("largest difference %g", worst);
	float s[MNIST_CLASSES], sum = 0;
	model_predict(m, x, s);
	for (int d = 0; d < MNIST_CLASSES; d++)
		sum += s[d];
	ok(fabsf(sum - 1) < 1e-5f, "its scores are probabilities: they sum to 1 (%g)", sum);
	Dataset d = { N, x, y };
	double each[COMMITTEE_MAX];
	double acc = committee_accuracy(back, &d, each);
	ok(fabs(acc - model_evaluate(committee_kind.predict, back, &d, NULL)) < 1e-12,
	   "committee_accuracy agrees with evaluating predict image by image");
	ok(fabs(each[1] - model_evaluate(member_predict, back->member[1], &d, NULL))
	   < 1e-12, "and gives each member's own accuracy");
	model_free(m);
	committee_free(c);
	free(x);

	m = edited(drop_member_tensor, "missing.model", err);
	if (!ok(!m && strstr(err, "missing.model (member 1): cnn model has no tensor 'conv2.b'")
	       && one_line(err), "a member without a tensor is refused, naming the member"))
		diag("%s", err);
	m = edited(negative_vote, "negative.model", err);
	if (!ok(!m && strstr(err, "committee member 1 has vote -1, expected a positive number")
	       && one_line(err), "a negative vote is refused"))
		diag("%s", err);
	m = edited(too_many_votes, "many.model", err);
	char want[96];
	snprintf(want, sizeof want, "tensor 'votes': the number of members is %d, expected 1 to %d",
	         COMMITTEE_MAX + 1, COMMITTEE_MAX);
	if (!ok(!m && strstr(err, want) && one_line(err),
	        "one vote more than a committee holds is refused"))
		diag("%s", err);
	m = edited(wrong_kernel, "shape.model", err);
	if (!ok(!m && strstr(err, "shape.model (member 0): tensor 'conv2.W' has shape 6x2x5x5")
	       && one_line(err), "a member's tensor of the wrong shape is refused through its "
	       "kind's checks"))
		diag("%s", err);
	m = edited(sigmoid_members, "sigmoid.model", err);
	if (!ok(!m && strstr(err, "needs metadata hidden 'relu'") && one_line(err),
	       "members said to be sigmoid networks are refused"))
		diag("%s", err);
	unlink(tmp("three.model")), unlink(tmp("missing.model")), unlink(tmp("negative.model"));
	unlink(tmp("many.model")), unlink(tmp("shape.model")), unlink(tmp("sigmoid.model"));
	ok(rmdir(dir) == 0, "nothing else was left in the test's folder");
	return done_testing();
}
