"""Track 4 says what a specialist would sign in 2026: the facts issue 29 corrected stay corrected,
and the numbers the prose quotes from its new code blocks are the numbers those blocks print."""

from __future__ import annotations

import re

import pytest

from support.course import REPO
from support.course_code import python_blocks, run

TRACK = REPO / "lessons/deep-learning-survey"
SHEETS = REPO / "cheatsheets/deep-learning-survey"


def text(slug: str) -> str:
    return (TRACK / slug / "lesson.md").read_text(encoding="utf-8")


def prose(slug: str) -> str:
    """The lesson with its line breaks folded, so a phrase split over lines still matches."""
    return " ".join(text(slug).split())


def shown_output(text_: str, block) -> str | None:
    """The ```output block that follows a Python block (after blank lines only), if any."""
    lines = text_.splitlines()
    close = next(i for i in range(block.line, len(lines)) if lines[i].lstrip().startswith("```"))
    after = close + 1
    while after < len(lines) and not lines[after].strip():
        after += 1
    if after == len(lines) or lines[after].strip() != "```output":
        return None
    end = next(i for i in range(after + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[after + 1 : end])


BLOCKS = [
    (slug, b)
    for slug in sorted(p.parent.name for p in TRACK.glob("*/lesson.md"))
    for b in python_blocks(text(slug), f"lessons/deep-learning-survey/{slug}/lesson.md")
]


@pytest.mark.parametrize("slug, block", BLOCKS, ids=lambda x: x.where if hasattr(x, "where") else "")
def test_every_block_shows_what_it_prints(slug, block):
    shown = shown_output(text(slug), block)
    assert shown is not None, f"{block.where}: no ```output block beneath the code"
    result = run(block)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == shown.rstrip("\n"), f"{block.where}: the page shows other output"


def output(slug: str, marker: str) -> str:
    """What the lesson's Python block containing `marker` prints, run as the course tests run it."""
    path = f"lessons/deep-learning-survey/{slug}/lesson.md"
    [block] = [b for b in python_blocks(text(slug), path) if marker in b.code]
    result = run(block)
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- generating images ----------------------------------------------------------------------------


def test_diffusion_transformers_and_flow_matching():
    body = prose("gans-and-diffusion")
    for name in ("DiT", "MM-DiT", "Stable Diffusion 3", "flow matching", "rectified flow", "velocity"):
        assert name in body, name
    assert "x_t = (1 - t)\\,x_0 + t\\,\\varepsilon" in body
    assert not re.search(r"usually (a|an) U-Net", body)
    for other in ("overview.md",):
        assert "usually denoise with a U-Net" not in (TRACK / "gans-and-diffusion" / other).read_text()
    assert "usually a U-Net" not in (SHEETS / "gans-and-diffusion.md").read_text()


def test_the_flow_matching_step_prints_what_the_lesson_says():
    printed = output("gans-and-diffusion", "velocity_model")
    assert "x0 = 3.06, noise = 0.32, x_t = 2.38, target velocity = -2.74" in printed
    steps = dict(re.findall(r"steps = +(\d+): (mean [\d.]+, spread [\d.]+)", printed))
    assert steps == {"1": "mean 3.00, spread 0.00", "4": "mean 3.00, spread 0.34", "50": "mean 3.00, spread 0.48"}
    body = prose("gans-and-diffusion")
    assert "$0.32 - 3.06 = -2.74$" in body and "(0.48 against 0.50)" in body


# -- vision and speech history --------------------------------------------------------------------


def test_sppnet_is_2014():
    body = prose("beyond-classification")
    assert "SPPnet (He et al., 2014)" in body and "Fast R-CNN (Girshick, 2015)" in body
    assert "In 2015 two papers" not in body
    sheet = (SHEETS / "beyond-classification.md").read_text()
    assert "**SPPnet** (He et al., 2014)" in sheet and "SPPnet, Fast R-CNN** (2015)" not in sheet


def test_speech_recognition_runs_through_the_end_to_end_era():
    body = prose("recurrence-and-its-limits")
    order = [
        body.find(s)
        for s in ("hidden Markov models", "hybrid DNN-HMM", "(CTC)", "(RNN-T)", "Conformer", "Whisper (2022)")
    ]
    assert -1 not in order and order == sorted(order)


def test_alphago_zero_is_not_overstated():
    body = prose("reinforcement-learning")
    sentence = body[body.index("AlphaGo Zero") :].split(". ")[0] + body[body.index("AlphaGo Zero") :].split(". ")[1]
    for given in ("rules of Go", "tree search", "board encoding"):
        assert given in sentence, given
    assert "no human game data, but not no human knowledge" in body


def test_q_value_and_stride_in_their_standard_sense():
    assert (
        "$Q(s, a)$ is the expected return (the discounted sum of rewards) if the agent takes action $a$ in state $s$ and follows its policy afterwards"
        in prose("reinforcement-learning")
    )
    assert "The stride is the number of input positions the filter moves between one application and the next" in prose(
        "convolutions"
    )


# -- language models ------------------------------------------------------------------------------


def test_post_training_beyond_rlhf():
    body = prose("language-models-at-scale")
    for name in (
        "Direct preference optimisation (DPO)",
        "reinforcement learning from verifiable rewards",
        "(RLVR)",
        "GRPO",
        "reasoning models",
        "test-time compute",
        "o1 (September 2024)",
        "DeepSeek-R1 (January 2025)",
        "distilled R1",
    ):
        assert name in body, name
    assert (
        "OpenAI has said only that it was trained with large-scale reinforcement learning" in body
    )  # o1's recipe is not public
    assert "published its recipe, RLVR with GRPO" in body


def test_mixture_of_experts_with_active_parameters():
    body = prose("language-models-at-scale")
    assert "DeepSeek-V3 (December 2024) has 671 billion parameters but activates 37 billion per token" in body
    assert "**mixture-of-experts** (MoE)" in body and "Many large open-weight models released in 2024 and 2025" in body


def test_context_windows_kv_cache_and_vocabularies_are_current():
    body = prose("language-models-at-scale")
    # issue 56: the sizes that date (windows, vocabularies) live only in the dated section
    assert "since the 2,048 tokens of GPT-3 (2020)" in body and "#the-state-of-the-field" in body
    assert "about a million" not in body and "262,144" not in body and "100,000 to 262,000" not in body
    assert "as of 2026" not in body.lower() and "hundreds of thousands" not in body
    assert "grouped-query attention" in body and "64 query heads but 8 KV heads" in body
    assert "multi-head latent attention" in body and "Nearly every" not in body
    dated = prose("limits-and-frontiers")
    assert "Llama 3 128,256; DeepSeek-V3 129,280; Qwen3 151,936; Gemma 3 262,208" in dated  # issue 86: configs
    assert "DeepSeek-V4 129,280" not in dated and "262,144" not in dated
    assert "Llama 4 Scout (April 2025) advertises 10 million" in dated
    assert "rotary position embeddings, RoPE" in body
    assert "grouped-query attention" in prose("attention-and-transformers")


def test_scaling_exponents_and_the_compute_optimal_ratio():
    body = prose("language-models-at-scale")
    for number in (
        "0.076",
        "0.095",
        "0.050",
        "C^{0.73}",
        "N^{0.34}",
        "D^{0.28}",
        "C \\approx 6ND",
        "20 training tokens per parameter",
    ):
        assert number in body, number
    printed = output("language-models-at-scale", "def loss(N, D)")
    assert re.search(r"Gopher .*1\.1 tokens per parameter, loss 1\.993", printed)
    assert re.search(r"Chinchilla: .*20\.0 tokens per parameter, loss 1\.937", printed)
    assert re.search(r"Llama 3 8B: .*1875\.0 tokens per parameter, loss 1\.949", printed)
    assert "about 91B parameters and 1.8T tokens" in printed
    assert "1.937, is lower than Gopher's 1.993" in body and "Its predicted loss, 1.949" in body
    # the printed constants, minimised under C = 6ND at Chinchilla's budget, do not give Chinchilla back
    budget = 6 * 70e9 * 1.4e12
    n_opt = min(
        (1.69 + 406.4 / n**0.34 + 410.7 / (budget / (6 * n)) ** 0.28, n) for n in (x * 1e8 for x in range(50, 3001))
    )[1]
    assert f"the fit's optimum: {n_opt / 1e9:.1f}B parameters, {budget / (6 * n_opt) / 1e12:.1f}T tokens" in printed
    assert n_opt / 1e9 == pytest.approx(32.5, abs=0.5) and budget / (6 * n_opt**2) == pytest.approx(93, abs=2)
    assert "Besiroglu et al. (2024)" in body and "about 20 tokens per parameter" in body


# -- the frontier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "As of late 2026",
        "Kimi K2 (Moonshot AI, July 2025) 32 of about 1 trillion",
        "OpenAI: GPT-5 (August 2025)",
        "Gemini 3 (November 2025)",
        "the Claude 4.5 models",
        "gpt-oss-120b and gpt-oss-20b (August 2025)",
        "Qwen3-Coder-480B-A35B (July 2025)",
        "Reasoning models and test-time compute",
        "o1 (2024)",
        "DeepSeek-R1 (2025)",
        "Agents and tool use",
        "Mechanistic interpretability",
        "sparse autoencoder",
        "$0.95^{20} \\approx 36\\%$",
    ],
)
def test_limits_and_frontiers_is_dated_2026(phrase):
    assert phrase in prose("limits-and-frontiers")


# -- issue 44: quiz keys and facts a specialist flagged -------------------------------------------


def test_issue_44_track4_facts():
    assert "varied" not in prose("gans-and-diffusion")  # GANs are sharp and fast, not varied
    recurrence = prose("recurrence-and-its-limits")
    assert "Order inside the window it does keep" in recurrence and 'no notion of "before"' not in recurrence
    assert "(CTC) by Graves et al. in 2006" in recurrence and "(RNN-T) by Graves in 2012" in recurrence
    era = prose("deep-learning-era")
    assert "log-Mel" in era and "raw audio" not in era
    assert "log-Mel" in (SHEETS / "deep-learning-era.md").read_text()
    assert "**overfits**: it fits its training examples, noise included" in era
    glossary = (TRACK / "glossary.yml").read_text()
    assert "    lesson: deep-learning-era" in glossary.split("term: Overfitting", 1)[1].split("- term:", 1)[0]
    assert "introduced" not in glossary.split("term: Residual connection", 1)[1].split("- term:", 1)[0]
    assert "a detail that lesson left out" in prose("beyond-classification")
    assert "100,000 to 262,000" not in prose("limits-and-frontiers")  # issue 71: stated per model
    assert "50,257" in prose("language-models-at-scale")


# -- issue 56: few-step sampling, audio beyond log-Mel, hallucination practised ---------------------


def test_flow_matching_step_counts_are_precise():
    body = prose("gans-and-diffusion")
    assert "a few tens of Euler steps" in body and "one to four steps" in body and "FLUX.1 [schnell]" in body
    assert "so tens of steps" not in body
    assert "1 to 4" in (SHEETS / "gans-and-diffusion.md").read_text()


def test_audio_is_not_only_log_mel():
    assert "wav2vec 2.0" in prose("deep-learning-era") and "waveform" in prose("deep-learning-era")


def test_hallucination_objective_has_a_quiz_question():
    body = text("language-models-at-scale")
    quiz = body[body.index("- question: An assistant cites a paper") :]
    assert "plausible continuations" in quiz.split("- question:", 2)[1]


# -- issue 71: the state of the field to November 2026, each entry dated and sourced ---------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "checked in November 2026, the rest in December 2025",
        "GPT-5.1 (November 2025) came as Instant and Thinking models",
        "GPT-5.2 followed in December 2025",
        "GPT-5.1 system card addendum (12 November 2025)",
        "Claude Opus 4.6 (February 2026) and Claude Opus 5 (July 2026) accept 1M tokens",
        "Gemini 3 Pro (preview, November 2025) 1,048,576 input tokens",
        "Gemini 3.1 Pro (preview, 19 February 2026), Gemini 3.5 Flash (generally available 19 May 2026) and Gemini 3.6 Flash (generally available 21 July 2026)",
        "DeepSeek-V4 (preview, April 2026): V4-Pro 49 of 1.6 trillion, V4-Flash 13 of 284 billion",
        "Qwen3-Next-80B-A3B (September 2025) 3 of 80 billion",
        "pairs Gated DeltaNet layers with a few gated full-attention layers",
        "on 9 December 2025 Anthropic gave it to the Agentic AI Foundation, a fund of the Linux Foundation",
        "Kimi K2 with MuonClip over 15.5 trillion tokens (July 2025), and DeepSeek-V4 (April 2026)",
        "MMLU, GSM8K and HumanEval are saturated",
        "Terminal-Bench 2.0 (89 tasks",
        "Humanity's Last Exam (2,500 expert-written questions, launched January 2025",
        "ARC-AGI-2 (March 2025",
        "GPQA Diamond",
        "doubled about every seven months since 2019",
    ],
)
def test_the_state_of_the_field_reaches_november_2026(phrase):
    assert phrase in prose("limits-and-frontiers")


def test_the_state_of_the_field_names_a_source_and_a_month_for_every_row():
    body = text("limits-and-frontiers")
    section = body[body.index("## The state of the field") : body.index("Four frontiers stand out.")]
    rows = [r for r in section.splitlines() if r.startswith("| ") and not r.startswith("| Topic") and "---" not in r]
    assert len(rows) >= 10
    for row in rows:
        checked = row.rstrip(" |").rsplit("|", 1)[1]
        assert re.search(r"\((November 2026|December 2025)\)", checked), row[:60]
    assert "announcements up to December 2025, so 2026's releases are not in them yet" not in body


def test_dated_model_names_stay_in_the_dated_section():
    """The 2026 releases are named only in the state of the field; other lessons link to it."""
    for slug in sorted(p.parent.name for p in TRACK.glob("*/lesson.md")):
        if slug == "limits-and-frontiers":
            continue
        body = prose(slug)
        for name in ("Opus 4.6", "Opus 5", "GPT-5.1", "GPT-5.2", "DeepSeek-V4", "Gemini 3.5", "1M tokens"):
            assert name not in body, (slug, name)
    era = prose("deep-learning-era")
    assert "Kimi K2 (July 2025)" in era and "lesson:limits-and-frontiers#the-state-of-the-field" in era


def test_fast_samplers_are_credited_with_tens_of_steps():
    body = prose("gans-and-diffusion")
    assert "DDIM (Song, Meng and Ermon, 2021)" in body and "10 to 50 times faster" in body
    assert "in tens of steps rather than a thousand" in body
    assert "DPM-Solver (Lu et al., 2022)" in body and "only 10 to 20 network passes" in body


# -- issue 71: teacher forcing, choose-all counts, overviews -----------------------------------------------


def test_teacher_forcing_is_taught_and_practised():
    body = text("recurrence-and-its-limits")
    assert "teacher forcing" in body.split("objectives:", 1)[1].split("questions:", 1)[0]
    assert "**teacher forcing** (Williams and Zipser, 1989)" in body and "**exposure bias**" in body
    quiz = body[body.index("- question: A translation RNN is being trained with teacher forcing") :]
    right = quiz.split("correct: true", 1)[0].rsplit("- text:", 1)[1]
    assert '"dog"' in right


def test_choose_all_counts_vary_independently_of_the_option_count():
    from tracksite.core.checks.teaching import count_follows_options, quiz_questions

    found = []
    for lesson in sorted(TRACK.glob("*/lesson.md")):
        for line, q in quiz_questions(lesson.read_text(encoding="utf-8"), 1):
            if q.multiple:
                found.append((lesson.name, line, sum(o.correct for o in q.options), len(q.options)))
                assert "which two" not in q.question.lower(), q.question
    assert {right for *_, right, _ in found} == {1, 2, 3, 4}
    assert count_follows_options(found) is None
    for options in {o for *_, o in found}:
        assert len({r for *_, r, o in found if o == options}) > 1 or sum(o == options for *_, o in found) == 1


def test_track4_overviews_say_what_the_lesson_asks():
    for overview in sorted(TRACK.glob("*/overview.md")):
        words = overview.read_text(encoding="utf-8")
        for phrase in ("No coding is required", "No programming is needed", "optional numpy program"):
            assert phrase not in words, (overview.parent.name, phrase)
    era = (TRACK / "deep-learning-era" / "overview.md").read_text(encoding="utf-8")
    assert "write backpropagation yourself" in era and "one AdamW step" in era
