from django import forms

from jidu.directives.models import Directive, Kind
from jidu.org.models import Department


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部类型"), *Kind.choices], required=False)
    state = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Directive.State.choices], required=False)
    department = forms.ModelChoiceField(label="督办对象", queryset=Department.objects.filter(active=True),
                                        required=False, empty_label="全部单位")
    overdue = forms.BooleanField(label="仅逾期未回复", required=False)
    q = forms.CharField(label="工单编号", required=False, max_length=64,
                        widget=forms.TextInput(attrs={"placeholder": "工单编号 / 文号"}))


class IssueForm(forms.Form):
    addressee = forms.ModelChoiceField(label="督办对象", queryset=Department.objects.filter(active=True))
    requirement = forms.CharField(label="督办要求", required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class DismissForm(forms.Form):
    reason = forms.CharField(label="不予督办理由", max_length=2000, error_messages={"required": "请填写不予督办的理由"},
                             widget=forms.TextInput(attrs={"placeholder": "不予督办理由（必填）"}))


class ReplyForm(forms.Form):
    text = forms.CharField(label="回复内容", max_length=10000, error_messages={"required": "请填写回复内容"},
                           widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label="附件", required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "认可并办结"), ("return", "退回重新回复")])
    note = forms.CharField(label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class StartForm(forms.Form):
    kind = forms.ChoiceField(label="督办类型", choices=Kind.choices, initial=Kind.DUBAN)
    reason = forms.CharField(label="督办事由", max_length=2000, error_messages={"required": "请填写督办事由"},
                             widget=forms.Textarea(attrs={"rows": 2}))
