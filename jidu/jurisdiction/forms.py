from django import forms

from jidu.jurisdiction.models import DisputeClaim, ListEntry, ListType, Precedent
from jidu.org.models import Department, Field


def departments():
    return Department.objects.filter(active=True).order_by("level", "code")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ListFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    list_type = forms.ChoiceField(label="清单", required=False, choices=[("", "全部清单"), *ListType.choices])
    field = forms.ModelChoiceField(label="领域", required=False, queryset=Field.objects.all(), empty_label="全部领域")
    department = forms.ModelChoiceField(label="部门", required=False, queryset=departments(), empty_label="全部部门")
    validity = forms.ChoiceField(label="有效性", required=False,
                                 choices=[("", "全部"), ("valid", "现行有效"), ("invalid", "已失效/停用")])


class ImportForm(forms.Form):
    file = forms.FileField(label=".xlsx 文件")


class ClaimForm(forms.Form):
    department = forms.ModelChoiceField(label="部门", queryset=departments())
    position = forms.ChoiceField(label="立场", choices=DisputeClaim.Position.choices)
    suggested_department = forms.ModelChoiceField(label="建议承办部门", queryset=departments(), required=False)
    text = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="附件")


class DecideForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办部门", queryset=departments())
    co = forms.ModelMultipleChoiceField(label="协办部门", queryset=departments(), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 6}))
    basis_text = forms.CharField(label="法律依据", widget=forms.Textarea(attrs={"rows": 3}))
    citation = forms.CharField(label="引用（法规条款/清单/先例）", required=False, max_length=300)
    cited_entry = forms.ModelChoiceField(label="引用清单条目", queryset=ListEntry.objects.all(), required=False)
    cited_precedent = forms.ModelChoiceField(label="引用先例", queryset=Precedent.objects.all(), required=False)
    note = forms.CharField(label="裁定说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PromoteForm(forms.Form):
    target = forms.ChoiceField(label="转为", choices=[("precedent", "裁定先例"), ("entry", "清单条目（厘清的职责边界）")])
    matter = forms.CharField(label="事项", max_length=200)
    keywords = forms.CharField(label="关键词（、分隔）", required=False)


class FlagForm(forms.Form):
    returning_department = forms.ModelChoiceField(label="有争议的部门", queryset=departments(), required=False)
    reason = forms.CharField(label="争议理由", widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label="附件")


class RouteForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办", queryset=departments())
    co = forms.ModelMultipleChoiceField(label="协办", queryset=departments(), required=False,
                                        widget=forms.SelectMultiple(attrs={"size": 4}))
