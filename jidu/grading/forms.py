from django import forms

from jidu.grading.models import CalendarEvent, Colour, severity
from jidu.org.models import Area, Field


class ClueFilterForm(forms.Form):
    handling = forms.ChoiceField(label="办理", required=False,
                                 choices=[("open", "办理中的线索"), ("finished", "已办结"), ("all", "全部")])
    colour = forms.ChoiceField(label="颜色", required=False,
                               choices=[("", "全部颜色"), *Colour.choices, ("none", "未定色")])
    field = forms.ModelChoiceField(label="领域", queryset=Field.objects.all(), required=False, empty_label="全部领域")
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.filter(active=True), required=False,
                                  empty_label="全部区域")
    tourism = forms.ChoiceField(label="涉旅", required=False, choices=[("", "涉旅与否"), ("yes", "涉旅"), ("no", "非涉旅")])
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "工单编号 / 标题 / 内容"}))
    date_from = forms.DateField(label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DowngradeForm(forms.Form):
    to_colour = forms.ChoiceField(label="调整为", choices=[])
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "调低颜色必须填写理由"})

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        lower = [(c, f"{label}色") for c, label in Colour.choices if severity(c) < severity(current)]
        self.fields["to_colour"].choices = lower + [("none", "撤销定色（不作为线索分级）")]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("调低颜色必须填写理由")
        return reason


class CalendarEventForm(forms.ModelForm):
    class Meta:
        model = CalendarEvent
        fields = ["kind", "title", "start", "end", "areas", "note"]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "areas": forms.SelectMultiple(attrs={"size": 8}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束时间不能早于开始时间")
        return data
