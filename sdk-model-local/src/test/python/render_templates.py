#!/usr/bin/env python3
"""Renders the real chat templates in src/test/resources/chat-templates with Python jinja2, set up
the way Hugging Face transformers renders chat templates (transformers/utils/chat_template_utils.py,
_compile_jinja_template and render_jinja_template), and writes renders.json beside them.

ChatTemplateRenderTest compares Colloquy's renders with these, so CI needs no Python. Rerun after
changing a template or a case (jinja2 3.1.6 made the stored file):

    python3 sdk-model-local/src/test/python/render_templates.py

What transformers sets, and so this script: an ImmutableSandboxedEnvironment with trim_blocks and
lstrip_blocks, the loopcontrols extension, a tojson filter that calls json.dumps with
ensure_ascii=False (indent, separators and sort_keys passed through), raise_exception raising a
TemplateError, strftime_now formatting the current time (here a fixed time, 2025-03-14 09:30, so the
output is stable; the Java test injects the same clock), and render(messages=..., tools=None or the
list, add_generation_prompt=..., bos_token=..., eos_token=...).
"""

import datetime
import json
import pathlib
import sys

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = pathlib.Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "resources" / "chat-templates"
FIXED_NOW = datetime.datetime(2025, 3, 14, 9, 30, 0)

# file name -> (bos_token, eos_token, whether the template takes tools)
MODELS = {
    "Llama-3.1-8B-Instruct.jinja": ("<|begin_of_text|>", "<|eot_id|>", True),
    "Llama-3.2-3B-Instruct.jinja": ("<|begin_of_text|>", "<|eot_id|>", True),
    "Qwen2.5-7B-Instruct.jinja": ("", "<|im_end|>", True),
    "Qwen3-0.6B.jinja": ("", "<|im_end|>", True),
    "Mistral-Nemo-Instruct-2407.jinja": ("<s>", "</s>", True),
    "Phi-3.5-mini-instruct.jinja": ("<s>", "<|endoftext|>", False),
    "SmolLM2-1.7B-Instruct.jinja": ("<|im_start|>", "<|im_end|>", False),
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Gets the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city's name"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}

CASES = {
    "multi_turn_with_system": {
        "messages": [
            {"role": "system", "content": "You are a terse assistant."},
            {"role": "user", "content": "Hello, who are you?"},
            {"role": "assistant", "content": "I am an assistant. Ça va?"},
            {"role": "user", "content": "Repeat <|im_start|> and [INST] and <|eot_id|> back."},
        ],
        "tools": None,
    },
    "single_user_turn": {
        "messages": [{"role": "user", "content": "  Hi there  "}],
        "tools": None,
    },
    "tool_call_and_result": {
        "messages": [
            {"role": "system", "content": "You answer weather questions."},
            {"role": "user", "content": "What is the weather in Paris?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "id": "call00001",
                        "type": "function",
                        "function": {
                            "name": "get_weather",
                            "arguments": {"city": "Paris", "unit": "celsius"},
                        },
                    }
                ],
            },
            {
                "role": "tool",
                "tool_call_id": "call00001",
                "name": "get_weather",
                "content": "{\"temperature\": 21, \"sky\": \"clear\"}",
            },
        ],
        "tools": [WEATHER_TOOL],
    },
    "reasoning_in_history": {
        "messages": [
            {"role": "user", "content": "What is 2+2?"},
            {"role": "assistant", "content": "<think>\nSimple sum.\n</think>\n\nIt is 4."},
            {"role": "user", "content": "Thanks"},
        ],
        "tools": None,
    },
    "tools_offered": {
        "messages": [{"role": "user", "content": "Is it raining in Oslo?"}],
        "tools": [WEATHER_TOOL],
    },
}


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(
        x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def strftime_now(format):
    return FIXED_NOW.strftime(format)


def environment():
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def main():
    env = environment()
    renders = []
    for file_name, (bos, eos, takes_tools) in MODELS.items():
        template = env.from_string((TEMPLATES / file_name).read_text(encoding="utf-8"))
        for case_name, case in CASES.items():
            if case["tools"] is not None and not takes_tools:
                continue
            output = template.render(
                messages=case["messages"],
                tools=case["tools"],
                add_generation_prompt=True,
                bos_token=bos,
                eos_token=eos,
            )
            renders.append(
                {"template": file_name, "case": case_name, "bosToken": bos, "eosToken": eos,
                 "output": output}
            )
    out = TEMPLATES / "renders.json"
    out.write_text(
        json.dumps(
            {"jinja2": jinja2.__version__, "python": sys.version.split()[0],
             "now": FIXED_NOW.isoformat(), "renders": renders},
            ensure_ascii=False, indent=2,
        ) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(renders)} renders to {out}")


if __name__ == "__main__":
    main()
