from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField, TextAreaField
from wtforms.validators import Length

from portal.conversations.models import MAX_MESSAGE


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Besked"), validators=[Length(max=MAX_MESSAGE)])
    attachments = MultipleFileField(_l("Vedhæft filer (PDF, Excel, Word, PNG eller JPEG)"))
    ask_correction = BooleanField(
        _l("Bed kommunen rette og indsende igen (genåbner med beskeden som begrundelse)")
    )

    def uploads(self):
        from portal.conversations.services import Upload

        return [
            Upload(f.stream, f.filename or "")
            for f in (self.attachments.data or [])
            if getattr(f, "filename", None)
        ]
