from django import forms

from jidu.notifications.models import Channel, Preference


class PreferenceForm(forms.ModelForm):
    channels = forms.ModelMultipleChoiceField(queryset=Channel.objects.filter(enabled=True), required=False,
                                              widget=forms.CheckboxSelectMultiple, label="接收渠道")

    class Meta:
        model = Preference
        fields = ["channels", "quiet_start", "quiet_end"]
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {"quiet_start": "为空：使用渠道默认（22:00–07:30）。紧急（红色）消息不受限制。"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is None:
            self.initial.setdefault("channels", [c.pk for c in Channel.objects.filter(enabled=True, default_on=True)])

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError("免打扰开始和结束时间要么都填，要么都不填")
        return data

    def save(self, commit=True):
        self.instance.user = self.user
        return super().save(commit)
