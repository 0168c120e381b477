from django import forms

from jidu.warnings.models import Kind, Level, State


class WarningFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型")] + Kind.choices)
    level = forms.ChoiceField(label="等级", required=False, choices=[("", "全部等级")] + Level.choices)
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部状态"), ("open", "未关闭")] + State.choices)
    ongoing = forms.ChoiceField(label="持续中", required=False, choices=[("", "不限"), ("yes", "仅持续中")])
    date_from = forms.DateField(label="从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="到", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        return data


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="签收意见", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    action = forms.CharField(label="跟进措施", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写跟进措施。"})


class CloseForm(forms.Form):
    note = forms.CharField(label="关闭说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写关闭说明。"})
