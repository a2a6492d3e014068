"""The one set of blocks that every lesson body is built from."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtailmedia.blocks import AudioChooserBlock, VideoChooserBlock

TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


def narration_block() -> AudioChooserBlock:
    """The optional recording of a block, for learners who listen better than they read."""
    return AudioChooserBlock(required=False, label=_("Narration (read aloud)"))


class NarratedTextBlock(blocks.StructBlock):
    """Rich text with its narration."""

    text = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Text"))
    narration = narration_block()

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/text.html"


class NarratedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, label=_("Caption"))
    narration = narration_block()

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class AudioBlock(blocks.StructBlock):
    audio = AudioChooserBlock(label=_("Audio file"))
    title = blocks.CharBlock(required=False, label=_("Title"))
    transcript = blocks.TextBlock(required=False, label=_("Transcript"))

    class Meta:
        icon = "media"
        label = _("Audio narration")
        template = "courses/blocks/audio.html"


class VideoBlock(blocks.StructBlock):
    video = VideoChooserBlock(label=_("Video file"))
    title = blocks.CharBlock(label=_("Title"))
    transcript = blocks.TextBlock(required=False, label=_("Transcript"))
    narration = narration_block()

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class FileBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(required=False, label=_("Title"))
    narration = narration_block()

    class Meta:
        icon = "doc-full"
        label = _("Downloadable file")
        template = "courses/blocks/file.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("example", _("Example"))],
        default="tip",
        label=_("Kind"),
    )
    text = blocks.TextBlock(label=_("Text"))
    narration = narration_block()

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        preview_value = {"tone": "tip", "text": "Take photos by a window, in daylight."}


class AnswerOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(required=False, label=_("Answer"))
    image = ImageChooserBlock(required=False, label=_("Picture"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.TextBlock(required=False, label=_("Feedback shown when chosen"))

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CHOICES = [
        (SINGLE, _("Single choice")),
        (MULTIPLE, _("Multiple choice")),
        (TRUE_FALSE, _("True or false")),
    ]


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=QuestionKind.CHOICES, default=QuestionKind.SINGLE, label=_("Kind")
    )
    prompt = blocks.TextBlock(label=_("Question"))
    image = ImageChooserBlock(required=False, label=_("Picture"))
    narration = AudioChooserBlock(required=False, label=_("Question read aloud"))
    options = blocks.ListBlock(AnswerOptionBlock(), min_num=2, label=_("Answers"))

    class Meta:
        icon = "help"
        label = _("Quiz question")
        template = "courses/blocks/question.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        errors: dict[str, ValidationError] = {}
        options = list(value["options"])
        if any(not (option["text"] or option["image"]) for option in options):
            errors["options"] = ValidationError(_("Every answer needs a text or a picture."))
        correct = sum(1 for option in options if option["correct"])
        kind = value["kind"]
        if kind == QuestionKind.TRUE_FALSE and len(options) != 2:
            errors["options"] = ValidationError(
                _("A true-or-false question has exactly two answers.")
            )
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
            errors["options"] = ValidationError(_("Mark exactly one answer as correct."))
        elif kind == QuestionKind.MULTIPLE and correct < 1:
            errors["options"] = ValidationError(_("Mark at least one answer as correct."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class LessonBodyBlock(blocks.StreamBlock):
    text = NarratedTextBlock()
    image = NarratedImageBlock()
    audio = AudioBlock()
    video = VideoBlock()
    file = FileBlock()
    callout = CalloutBlock()
    question = QuestionBlock()

    class Meta:
        block_counts: dict[str, dict[str, int]] = {}
