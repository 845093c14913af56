"""Track 5 states what a specialist would sign as of 2026, and its code prints what its pages show.

The dated facts of issue 29 are pinned where a learner reads them: grouped-query attention in the
KV-cache formula, the active parameters of a mixture of experts, DPO and reinforcement learning
from verifiable rewards, a 2026 context window and what "effective" means, the Kaplan and
Chinchilla exponents. Where a number comes out of a code block, the block is run (in the same
numpy-only sandbox as `test_course_code.py`) and its printed output is compared with the
```` ```output ```` block the page shows beneath it, and the key numbers are recomputed here
independently, so a wrong formula fails even when page and code agree with each other.
"""

from __future__ import annotations

import math
import re

import pytest

from support.course import REPO
from support.course_code import Block, python_blocks, run
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.quiz.body import parse_quiz

TRACK = REPO / "lessons" / "transformers-and-llms"
LESSONS = sorted(p.parent.name for p in TRACK.glob("*/lesson.md"))
OUTPUT_FENCE = re.compile(r"^```output\s*$")


def lesson(slug: str) -> str:
    return (TRACK / slug / "lesson.md").read_text(encoding="utf-8")


def prose(slug: str) -> str:
    """The lesson with single spaces, so a fact split over a line break still matches."""
    return " ".join(lesson(slug).split())


def shown_outputs(text: str, path: str) -> list[tuple[Block, str]]:
    """Every Python block followed (after blank lines only) by an ```output block, with that output."""
    lines = text.splitlines()
    pairs = []
    for block in python_blocks(text, path):
        close = next(i for i in range(block.line, len(lines)) if lines[i].startswith("```"))
        after = close + 1
        while after < len(lines) and not lines[after].strip():
            after += 1
        if after < len(lines) and OUTPUT_FENCE.match(lines[after]):
            end = next(i for i in range(after + 1, len(lines)) if lines[i].startswith("```"))
            pairs.append((block, "\n".join(lines[after + 1 : end])))
    return pairs


SHOWN = [
    pair for slug in LESSONS for pair in shown_outputs(lesson(slug), f"lessons/transformers-and-llms/{slug}/lesson.md")
]


def output_of(snippet: str) -> str:
    """The shown output of the one block whose code contains `snippet`."""
    found = [shown for block, shown in SHOWN if snippet in block.code]
    assert len(found) == 1, f"{len(found)} blocks with {snippet!r} and a shown output"
    return found[0]


@pytest.mark.parametrize("pair", SHOWN, ids=lambda p: p[0].where)
def test_shown_output_is_what_the_code_prints(pair):
    block, shown = pair
    result = run(block)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == shown.rstrip("\n"), f"{block.where}: the page shows other output"


def test_the_new_code_blocks_show_their_output():
    """KV cache with GQA, a mixture-of-experts router, a DPO loss, GRPO advantages, a Chinchilla plan."""
    for snippet in ("def kv_cache_bytes", "W_router", "def dpo_loss", "advantages", "def chinchilla_plan"):
        output_of(snippet)


def numbers(line: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"[-+]?\d[\d,]*\.?\d*", line)]


def test_kv_cache_formula_counts_kv_heads_not_query_heads():
    text = prose("scaling-and-context")
    formula = re.search(r"\\text\{bytes\} = (.+?)\.\s*\$\$", text)
    assert formula and r"\text{kv\_heads}" in formula[1] and r"\text{head\_dim}" in formula[1], formula
    for fact in ("Grouped-query attention", "Multi-query attention", "64 query heads but 8 KV heads"):
        assert fact in text
    out = output_of("def kv_cache_bytes").splitlines()
    assert numbers(out[0])[-1] == pytest.approx(2 * 12 * 12 * 64 * 1024 * 2 / 1e6, abs=0.05)  # GPT-2 small, MB
    per_token = {
        kind: numbers(line)[1]
        for line in out[1:]
        for kind in ("multi-head", "grouped", "multi-query")
        if line.startswith(kind)
    }
    # Llama 3 70B: 80 layers, head_dim 128, 2 bytes; the cache follows the KV heads: 64, 8 or 1
    for kind, kv_heads in (("multi-head", 64), ("grouped", 8), ("multi-query", 1)):
        assert per_token[kind] == pytest.approx(2 * 80 * kv_heads * 128 * 2 / 1e6, abs=0.001), kind


def test_mixture_of_experts_total_and_active_parameters():
    for slug in ("scaling-and-context", "attention-mechanism"):
        text = prose(slug)
        assert "DeepSeek-V3" in text and "671 billion" in text and "37 billion" in text, slug
    text = prose("scaling-and-context")
    assert "46.7 billion parameters, 12.9 billion active" in text  # Mixtral 8x7B
    assert r"6 N_{\text{active}} D" in text
    out = output_of("W_router").splitlines()
    routed = [line for line in out if line.startswith("token ")]
    assert len(routed) == 4 and all(line.count("expert ") == 2 for line in routed)  # top-2 of 4 for each token
    for line in routed:
        assert sum(numbers(line)[2::2]) == pytest.approx(1, abs=0.011)  # the gates of the chosen experts sum to 1
    assert f"{37 / 671:.1%}" in out[-1]


def test_dpo_loss_and_rlvr_are_taught_and_computed_right():
    text = prose("next-token-prediction")
    for fact in (
        "Direct preference optimisation",
        "Rafailov et al., 2023",
        "Reinforcement learning from verifiable rewards",
        "GRPO",
        "DeepSeekMath, 2024",
        "o1 (September 2024)",
        "DeepSeek-R1 (January 2025)",
        "test-time compute",
        "distilled",
    ):
        assert fact in text, fact
    assert r"\ln \pi_{\text{ref}}(y_w \mid x)" in text  # the reference model is in the loss
    out = output_of("def dpo_loss").splitlines()
    beta = 0.5
    for line in out[:3]:
        margin, loss = numbers(line.split(": ", 1)[1])
        assert loss == pytest.approx(math.log1p(math.exp(-beta * margin)), abs=0.0005), line
    assert out[3].endswith(f"{math.log(2):.3f}")
    assert "divided by the group's spread plus a tiny constant $\\varepsilon$" in text  # no division by zero
    assert output_of("advantages").splitlines()[2] == "all right: +0.00 +0.00 +0.00 +0.00"
    assert "OpenAI has said only that it was trained with large-scale reinforcement learning" in text
    advantages = numbers(output_of("advantages").splitlines()[1])
    rewards = [1, 0, 0, 1, 0, 0, 0, 1]
    mean = sum(rewards) / len(rewards)
    spread = math.sqrt(sum((r - mean) ** 2 for r in rewards) / len(rewards))
    assert advantages == pytest.approx([(r - mean) / spread for r in rewards], abs=0.005)


def test_context_windows_of_2026_and_what_effective_means():
    text = prose("scaling-and-context")
    assert "lesson:deep-learning-survey/limits-and-frontiers#the-state-of-the-field" in text
    assert "as of 2026" not in text.lower()
    state = " ".join((REPO / "lessons/deep-learning-survey/limits-and-frontiers/lesson.md").read_text().split())
    state = state[state.index("## The state of the field") :].split("\n## ", 1)[0]
    assert "Context windows |" in state and "Llama 4 Scout" in state and "10 million" in state
    assert "**effective context length** is the longest input over which a model still finds and combines" in text
    assert "hundreds of thousands" not in text


def test_scaling_exponents_and_a_plan_a_learner_can_compute():
    text = prose("scaling-and-context")
    assert "about 33 billion parameters on 3 trillion tokens, some 93 tokens per parameter" in text
    assert "Besiroglu et al. (2024)" in text
    for fact in (
        r"\alpha_N \approx 0.076",
        r"D^{-0.095}",
        r"C^{-0.050}",
        r"N \propto C^{0.73}",
        r"A/N^{0.34} + B/D^{0.28}",
        r"N = \sqrt{C/120}",
        "some 1,900 per parameter",
    ):
        assert fact in text, fact
    out = output_of("def chinchilla_plan").splitlines()
    for line in out[:3]:
        plan = re.fullmatch(r"C = (\S+): +([\d.]+) billion parameters, +([\d.]+) trillion tokens", line)
        assert plan, line
        budget, n_billions, d_trillions = map(float, plan.groups())
        assert n_billions == pytest.approx(math.sqrt(budget / 120) / 1e9, abs=0.05)  # C = 6 N D with D = 20 N
        assert d_trillions == pytest.approx(20 * math.sqrt(budget / 120) / 1e12, abs=0.005)
    assert "70.0 billion parameters,  1.40 trillion tokens" in out[1]  # Chinchilla's own budget gives Chinchilla back
    assert f"x{100**0.73:.1f}" in out[3] and "x10.0, tokens x10.0" in out[4]


def test_vocabularies_and_unknown_tokens():
    text = prose("tokens-and-embeddings")
    assert "Llama 3 uses 128,256 tokens" in text and "Gemma 3 262,208" in text and "262,144 tokens" not in text
    assert "byte-level BPE, every string of any language can be written out" in text
    assert "so nothing is ever unknown" not in text


def test_queries_keys_and_values_are_introduced_before_position_lesson_uses_them():
    body = lesson("positional-encoding").split("\n---\n", 1)[1]
    first_use = re.search(r"quer(y|ies)", body, re.I)
    assert first_use and body[first_use.start() - 2 : first_use.start()] == "**", body[
        first_use.start() - 80 : first_use.end()
    ]
    text = prose("positional-encoding")
    assert "most open-weight language models released since use it" in text and "as of 2026" not in text


def test_track5_quiz_questions_have_three_options_and_explain_every_wrong_one():
    thin = []
    for slug in LESSONS:
        body = lesson(slug)
        blocks, _ = find_blocks(body, 1)
        for block in iter_blocks(blocks):
            if block.name != "quiz":
                continue
            for q in parse_quiz(block.body)[0]:
                if len(q.options) < 3 or any(not o.correct and not o.explain.strip() for o in q.options):
                    thin.append(f"{slug}: {q.question}")
    assert thin == []


def test_using_llms_computes_what_it_claims():
    """The sixth lesson's numbers, recomputed here: a score's standard error, pass@k, and the facts
    the review found missing (in-context learning, MCP, hallucination, a judge's limits)."""
    text = prose("using-llms")
    for fact in (
        "Brown et al. (2020)",
        "in-context learning",
        "Wei et al. (2022)",
        "Zheng et al. (2023)",
        "Lewis et al., 2020",
        "introduced by Anthropic in November 2024",
        "JSON-RPC 2.0",
        "**hallucinates**",
    ):
        assert fact in text, fact
    assert "has to be measured on a sample of the task at hand" in text  # a judge's agreement is not general
    se = math.sqrt(0.8 * 0.2 / 500)
    assert f"{1.96 * se * 100:.1f} points" in text and "$80 \\pm 3.5$ points" in text
    pass_k = dict(re.findall(r"pass@(\d+): ([\d.]+)", output_of("def pass_at_k")))
    assert float(pass_k["5"]) == pytest.approx(1 - math.comb(7, 5) / math.comb(10, 5), abs=0.0005)


def test_adapting_and_serving_llms_computes_what_it_claims():
    """The seventh lesson's numbers: a LoRA adapter's size, prefill against decoding, speculative
    decoding, MXFP4's bits per weight, and the 4-bit error stated as the code prints it."""
    text = prose("adapting-and-serving-llms")
    for fact in ("Hu et al., 2022", "Dettmers et al., 2023", "Leviathan et al., 2023", "Micikevicius et al., 2022"):
        assert fact in text, fact
    lora = output_of("trainable numbers")
    assert f"{8 * (4096 + 4096):,} trainable numbers" in lora and "70B parameters at  4 bits: 35 GB" in lora
    spec = output_of("def tokens_per_pass")
    assert f"k=4: {(1 - 0.8**5) / (1 - 0.8):.2f}" in spec.splitlines()[1]
    assert "3.36 tokens instead of one" in text and "$24 \\times 24 = 576$ tokens" in text
    phases = output_of("def pass_time").splitlines()
    read_ms = 70e9 * 2 / 3e12 * 1e3
    assert f"read {read_ms:5.1f} ms" in phases[0] and phases[0].endswith("memory")
    assert f"compute {2 * 70e9 * 2000 / 1e15 * 1e3:5.1f} ms" in phases[2] and phases[2].endswith("arithmetic")
    # MXFP4: E2M1 elements, a shared power-of-two (E8M0) scale per block of 32
    assert "0, 0.5, 1, 1.5, 2, 3, 4 and 6" in text and "**block of 32**" in text and "4.25 bits a weight" in text
    assert 4 + 8 / 32 == 4.25
    assert "15.9% for 4 bits in one long block and still 10.0% in blocks of 32" in text
    assert "Four bits is not" in text  # the 4-bit error is not called small
    dated = text[text.index("## Dated examples: models released in 2025") :].split("## Practice")[0]
    for model in ("DeepSeek-R1", "Gemini 2.5 Pro", "Llama 4", "Qwen3-235B-A22B", "Claude Opus 4", "Kimi K2", "GPT-5"):
        assert model in dated, model
    assert "235 billion parameters of which 22 billion are active" in dated
    assert "10-million-token context window" in dated


def test_models_of_2025_are_named_only_in_the_dated_section():
    names = (
        "GPT-5",
        "Gemini 2.5",
        "Gemini 3",
        "Claude Opus 4",
        "Claude Sonnet 4",
        "Kimi K2",
        "Qwen3",
        "Llama 4",
        "gpt-oss",
    )
    for slug in LESSONS:
        text = prose(slug)
        if slug == "adapting-and-serving-llms":
            text = text.split("## Dated examples: models released in 2025")[0]
        assert [n for n in names if n in text] == [], slug


def test_every_lesson_has_instructor_notes():
    for track in ("deep-learning-survey", "transformers-and-llms"):
        for path in sorted((REPO / "lessons" / track).glob("*/lesson.md")):
            assert re.search(r"(?m)^/// instructor\n.+\n///$", path.read_text(encoding="utf-8")), path


def test_issue_44_track5_facts():
    tokens = prose("tokens-and-embeddings")
    assert "emits an unknown token unless it has byte fallback" in tokens  # the key agrees with the paragraph
    assert "100K" not in tokens and "100,000 to 262,000" not in tokens  # issue 71: no range that claims every model
    assert "sizes still differ widely" in tokens and "Mistral 7B kept 32,000" in tokens
    for slug in LESSONS:
        text = prose(slug)
        assert "far end of its window less well than the near end" not in text, slug  # "lost in the middle", one way
    assert "less well than its start and end" in prose("positional-encoding")
    assert "better than the same information placed in the middle" in prose("scaling-and-context")
