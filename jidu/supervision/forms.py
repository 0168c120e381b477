from django import forms

from jidu.documents.models import DocumentType
from jidu.jurisdiction.models import ListEntry
from jidu.org.models import Department, User
from jidu.supervision.workflow import State


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CaseForm(forms.Form):
    subject = forms.CharField(label="督办事由", max_length=200)
    summary = forms.CharField(label="案情概要", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    departments = forms.ModelMultipleChoiceField(
        label="被监督单位", queryset=Department.objects.filter(active=True).order_by("level", "name"),
        error_messages={"required": "请至少选择一个被监督单位"})
    assignee = forms.ModelChoiceField(label="承办监督员", queryset=User.objects.filter(role="supervisor", is_active=True),
                                      required=False, empty_label="（本人）")


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="环节", choices=[("", "全部环节"), ("open", "未办结"), *State.choices],
                              required=False)
    department = forms.ModelChoiceField(label="被监督单位", queryset=Department.objects.order_by("name"),
                                        required=False, empty_label="全部单位")
    overdue = forms.BooleanField(label="仅看超期", required=False)
    q = forms.CharField(label="事由", required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label="附件")


class IssueForm(forms.Form):
    doc_type = forms.ModelChoiceField(label="文书类型", queryset=DocumentType.objects.filter(active=True),
                                      to_field_name="code", error_messages={"required": "请选择文书类型"})
    addressee = forms.ModelChoiceField(label="主送单位", queryset=Department.objects.none(),
                                       error_messages={"required": "请选择主送单位"})
    deadline = forms.DateField(label="整改/反馈期限", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="落在节假日时顺延至下一个工作日；空=按办理时限")
    extra = forms.CharField(label="补充内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["addressee"].queryset = case.departments.all()


class RectificationForm(forms.Form):
    text = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "请填写整改情况"})
    files = MultipleFileField(label="证明材料")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="复核结论", choices=[("accept", "复核通过，结案"),
                                                        ("return", "退回继续整改")])
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    deadline = forms.DateField(label="再次整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ResultForm(forms.Form):
    score = forms.DecimalField(label="考评扣分/得分", max_digits=6, decimal_places=2, required=False)
    accountability = forms.BooleanField(label="移送追责", required=False)
    accountability_to = forms.CharField(label="移送机关", max_length=100, required=False)
    rule_change = forms.CharField(label="制度/清单完善", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    list_entry = forms.ModelChoiceField(label="关联清单条目", queryset=ListEntry.objects.order_by("code"),
                                        required=False, empty_label="（无）")
    money_recovered = forms.DecimalField(label="挽回经济损失（元）", max_digits=14, decimal_places=2, required=False,
                                         min_value=0, error_messages={"min_value": "挽回经济损失不能为负数"})
    note = forms.CharField(label="其他说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
