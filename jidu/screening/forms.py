from django import forms

from jidu.org.models import Field, ProblemType
from jidu.screening.models import Label, Rule

YES_NO = [("yes", "是"), ("no", "否")]


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "label", "value", "match", "pattern", "segmented", "effect", "priority", "active", "note"]
        widgets = {
            "pattern": forms.Textarea(attrs={"rows": 3, "placeholder": "例如：短斤少两 缺斤少两 鬼秤"}),
            "value": forms.TextInput(attrs={"list": "rule-values", "placeholder": "yes / no / 领域名称 / 问题类型名称"}),
        }


def _initial(label: str, current):
    if label in ("enforcement", "tourism"):
        return None if current is None else ("yes" if current else "no")
    return current


class CorrectionForm(forms.Form):
    """A person's value for one label (built per label, prefixed by it)."""

    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, label: str, *args, current=None, **kwargs):
        kwargs.setdefault("prefix", label)
        super().__init__(*args, **kwargs)
        self.label = label
        self.label_display = dict(Label.choices)[label]
        if label in ("enforcement", "tourism"):
            field = forms.ChoiceField(label=self.label_display, choices=YES_NO, widget=forms.RadioSelect)
        elif label == "kind":
            field = forms.ChoiceField(label=self.label_display, required=False, choices=[
                ("", "（不适用）"), ("violation", "举报违法行为"), ("conduct", "投诉执法行为")])
        elif label == "field":
            field = forms.ChoiceField(label=self.label_display,
                                      choices=[(n, n) for n in Field.objects.values_list("name", flat=True)])
        else:
            field = forms.MultipleChoiceField(
                label=self.label_display, required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(n, n) for n in ProblemType.objects.values_list("name", flat=True)])
        field.initial = _initial(label, current)
        self.fields = {"value": field, **self.fields}

    def value(self):
        return self.cleaned_data["value"]


class TryRuleForm(RuleForm):
    """The same fields, validated without saving."""
